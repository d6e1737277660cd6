import {
  getDefaultNormalizer,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import {
  PromotionRequest,
  PromotionResult,
} from '@backstage-gitops/plugin-gitops-common';
import { storefrontWebState } from '../../__testUtils__/states';
import {
  entityNamed,
  mockGitopsApi,
  renderWithEntity,
} from '../../__testUtils__/renderGitops';
import { GitopsContent } from '../GitopsContent';

// each test renders the whole tab and walks the dialog: seconds on a loaded machine
jest.setTimeout(30_000);

const entityRef = 'component:default/storefront-web';

const diff = [
  '--- a/apps/storefront-web/envs/prod/values.yaml',
  '+++ b/apps/storefront-web/envs/prod/values.yaml',
  '@@ -3,3 +3,3 @@ image:',
  '   repository: ghcr.io/acme/storefront-web',
  '-  tag: "1.4.2" # promoted by the portal',
  '+  tag: "1.5.0" # promoted by the portal',
].join('\n');

function planResult(request: PromotionRequest): PromotionResult {
  const version = request.version ?? '1.5.0';
  const dryRun = request.dryRun ?? false;
  const rollback = version !== '1.5.0';
  return {
    id: dryRun ? 'plan-1' : 'promotion-1',
    outcome: dryRun ? 'dry-run' : 'opened',
    message: dryRun
      ? `Would set prod to ${version}`
      : `Opened pull request #42 setting prod to ${version}`,
    plan: {
      entityRef,
      from: 'staging',
      to: 'prod',
      version,
      targets: ['prod-eu-1', 'prod-us-1'],
      rollback,
      gates: [
        rollback
          ? {
              gate: 'version-in-history',
              passed: true,
              message: `${version} was deployed to prod before`,
            }
          : {
              gate: 'source-synced-healthy',
              passed: true,
              message: `staging runs ${version}, Synced and Healthy on staging-1`,
            },
        {
          gate: 'freeze-window',
          passed: true,
          message: 'No freeze window is active',
        },
      ],
      waves: [
        {
          index: 0,
          clusters: ['prod-eu-1', 'prod-us-1'],
          branch: 'gitops/promote/storefront-web/prod',
          edits: [
            {
              repoUrl: 'http://localhost:7480/acme/web-gitops.git',
              baseBranch: 'main',
              path: 'apps/storefront-web/envs/prod/values.yaml',
              blobSha: 'abc123',
              clusters: ['prod-eu-1', 'prod-us-1'],
              fromVersion: '1.4.2',
              toVersion: version,
              diff: diff.replace(/1\.5\.0/g, version),
            },
          ],
        },
      ],
      noop: false,
    },
    pullRequests: dryRun
      ? []
      : [
          {
            wave: 0,
            url: 'http://localhost:7480/acme/web-gitops/pull/42',
            number: 42,
            branch: 'gitops/promote/storefront-web/prod',
            state: 'open',
            action: 'opened',
          },
        ],
    superseded: [],
  };
}

async function openStaging() {
  return screen.findByRole('region', { name: 'Staging' });
}

/** The promote button once the permission check has settled. */
async function promoteToProduction() {
  const staging = await openStaging();
  return waitFor(() => {
    const button = within(staging).getByRole('button', {
      name: 'Promote to Production',
    });
    expect(button).toBeEnabled();
    return button;
  });
}

/** Renders storefront-web's GitOps tab over `api` and opens the dialog promoting to Production. */
async function openPromoteDialog(api: ReturnType<typeof mockGitopsApi>) {
  await renderWithEntity(<GitopsContent />, {
    entity: entityNamed('storefront-web'),
    api,
  });
  await userEvent.click(await promoteToProduction());
  return screen.findByRole('dialog');
}

const exact = {
  normalizer: getDefaultNormalizer({ collapseWhitespace: false, trim: false }),
};

describe('Promote', () => {
  it('disables the button and says why when the user may not promote', async () => {
    // usePermission caches decisions per entity ref (SWR): use an entity of its own.
    const state = {
      ...storefrontWebState,
      entityRef: 'component:default/denied-web',
    };
    const api = mockGitopsApi({ getState: jest.fn(async () => state) });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('denied-web'),
      api,
      canPromote: false,
    });

    const staging = await openStaging();
    const button = within(staging).getByRole('button', {
      name: 'Promote to Production',
    });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      'You are not allowed to promote this entity. Ask one of its owners or a release owner.',
    );
    expect(api.promote).not.toHaveBeenCalled();
  });

  it('disables the buttons and says why when the backend makes no promotions', async () => {
    const reason =
      'Promotion is off because the permission framework is disabled, which would let every signed-in user promote every entity. Set permission.enabled: true with a permission policy, or set gitops.promotion.allowWithoutPermissions: true to accept promotions without permission checks';
    const api = mockGitopsApi({
      getState: jest.fn(async () => ({
        ...storefrontWebState,
        promotionUnavailable: reason,
      })),
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('storefront-web'),
      api,
    });

    const staging = await openStaging();
    const button = within(staging).getByRole('button', {
      name: 'Promote to Production',
    });
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(reason);
    expect(api.promote).not.toHaveBeenCalled();
  });

  it('offers promotion only from environments that have a next one', async () => {
    const api = mockGitopsApi({
      getState: jest.fn(async () => storefrontWebState),
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('storefront-web'),
      api,
    });

    await openStaging();
    expect(
      screen
        .getAllByRole('button', { name: /^Promote to / })
        .map(b => b.textContent),
    ).toEqual(['Promote to Staging', 'Promote to Production']);
  });

  it('shows gates and the diff of a dry run, then opens the pull request with one POST', async () => {
    const api = mockGitopsApi({
      getState: jest.fn(async () => storefrontWebState),
      getHistory: jest.fn(async (_ref: string, environment: string) => ({
        entityRef,
        environment,
        entries: [
          {
            cluster: 'staging-1',
            application: {
              instance: 'core',
              namespace: 'argocd',
              name: 'storefront-web-staging-1',
            },
            id: 3,
            version: '1.4.2',
            images: ['ghcr.io/acme/storefront-web:1.4.2'],
          },
        ],
        errors: [],
      })),
      promote: jest.fn(async (request: PromotionRequest) =>
        planResult(request),
      ),
    });
    const dialog = await openPromoteDialog(api);
    expect(
      within(dialog).getByRole('heading', {
        name: 'Promote Staging to Production',
      }),
    ).toBeInTheDocument();
    expect(
      await within(dialog).findByText(
        '+  tag: "1.5.0" # promoted by the portal',
        exact,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        '-  tag: "1.4.2" # promoted by the portal',
        exact,
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'source-synced-healthy: staging runs 1.5.0, Synced and Healthy on staging-1',
      ),
    ).toBeInTheDocument();
    expect(api.promote).toHaveBeenCalledWith({
      entityRef,
      from: 'staging',
      to: 'prod',
      version: '1.5.0',
      dryRun: true,
    });
    const previews = api.promote.mock.calls.length;

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Open pull request' }),
    );

    const link = await within(dialog).findByRole('link', {
      name: 'Pull request #42 (opened)',
    });
    expect(link).toHaveAttribute(
      'href',
      'http://localhost:7480/acme/web-gitops/pull/42',
    );
    const steps = within(
      within(dialog).getByRole('list', { name: 'Progress' }),
    ).getAllByRole('listitem');
    expect(steps.map(s => s.textContent)).toEqual([
      'Planning: done',
      'Checking gates: done',
      'Opening pull request: done',
    ]);
    expect(api.promote).toHaveBeenLastCalledWith({
      entityRef,
      from: 'staging',
      to: 'prod',
      version: '1.5.0',
      expectedBlobShas: {
        'apps/storefront-web/envs/prod/values.yaml': 'abc123',
      },
      dryRun: false,
    });
    // confirming is one POST: no second dry run
    expect(api.promote).toHaveBeenCalledTimes(previews + 1);
  });

  it('shows why the backend refused the confirmation (409) and opens nothing', async () => {
    const api = mockGitopsApi({
      getState: jest.fn(async () => storefrontWebState),
      promote: jest.fn(async (request: PromotionRequest) => {
        if (request.dryRun) {
          return planResult(request);
        }
        throw await ResponseError.fromResponse(
          new Response(
            JSON.stringify({
              error: {
                name: 'ConflictError',
                message:
                  'apps/storefront-web/envs/prod/values.yaml changed since the preview; review the promotion again',
              },
              request: { method: 'POST', url: '/api/gitops/v1/promotions' },
              response: { statusCode: 409 },
            }),
            {
              status: 409,
              statusText: 'Conflict',
              headers: { 'Content-Type': 'application/json' },
            },
          ),
        );
      }),
    });
    const dialog = await openPromoteDialog(api);
    await userEvent.click(
      await waitFor(() => {
        const confirm = within(dialog).getByRole('button', {
          name: 'Open pull request',
        });
        expect(confirm).toBeEnabled();
        return confirm;
      }),
    );

    expect(
      await within(dialog).findByText(
        'apps/storefront-web/envs/prod/values.yaml changed since the preview; review the promotion again',
      ),
    ).toBeInTheDocument();
    expect(
      within(within(dialog).getByRole('list', { name: 'Progress' }))
        .getAllByRole('listitem')
        .map(s => s.textContent),
    ).toEqual([
      'Planning: done',
      'Checking gates: failed',
      'Opening pull request: pending',
    ]);
    expect(within(dialog).queryByRole('link')).toBeNull();
    expect(api.promote.mock.calls.map(([r]) => r.dryRun)).toEqual([
      true,
      false,
    ]);
  });

  it('offers the versions the target ran before as rollbacks, and earlier source versions', async () => {
    const daysAgo = (days: number) =>
      new Date(Date.now() - days * 24 * 3600_000).toISOString();
    const entry = (
      cluster: string,
      id: number,
      version: string,
      days: number,
    ) => ({
      cluster,
      application: {
        instance: 'core',
        namespace: 'argocd',
        name: `storefront-web-${cluster}`,
      },
      id,
      version,
      deployedAt: daysAgo(days),
      images: [`ghcr.io/acme/storefront-web:${version}`],
    });
    const histories: Record<string, ReturnType<typeof entry>[]> = {
      staging: [
        entry('staging-1', 3, '1.5.0', 1),
        entry('staging-1', 2, '1.4.0', 3),
      ],
      prod: [
        entry('prod-eu-1', 9, '1.4.2', 2),
        entry('prod-us-1', 8, '1.4.2', 2),
        entry('prod-eu-1', 7, '1.3.0', 5),
        entry('prod-us-1', 6, '1.3.0', 5),
      ],
    };
    const api = mockGitopsApi({
      getState: jest.fn(async () => storefrontWebState),
      getHistory: jest.fn(async (_ref: string, environment: string) => ({
        entityRef,
        environment,
        entries: histories[environment] ?? [],
        errors: [],
      })),
      promote: jest.fn(async (request: PromotionRequest) =>
        planResult(request),
      ),
    });
    const dialog = await openPromoteDialog(api);
    await waitFor(() =>
      expect(api.getHistory).toHaveBeenCalledWith(entityRef, 'prod'),
    );
    expect(api.getHistory).toHaveBeenCalledWith(entityRef, 'staging');
    expect(
      within(dialog).getByText(
        'Defaults to what Staging runs; a version Production ran before rolls it back.',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: /Version to promote/ }),
    );
    const listbox = await screen.findByRole('listbox');
    const groups = within(listbox).getAllByRole('group');
    expect(
      groups.map(group => [
        group.getAttribute('aria-labelledby')
          ? document.getElementById(group.getAttribute('aria-labelledby')!)
              ?.textContent
          : undefined,
        within(group)
          .getAllByRole('option')
          .map(o => o.textContent),
      ]),
    ).toEqual([
      ['Runs in Staging', ['1.5.0 (runs in Staging)']],
      [
        'Roll back Production',
        ['Roll back to 1.3.0 (Production ran it 5 days ago)'],
      ],
      ['Ran earlier in Staging', ['1.4.0 (deployed 3 days ago)']],
    ]);
    // what Production runs now is not offered: promoting it would change nothing
    expect(
      within(listbox).queryByRole('option', { name: /1\.4\.2/ }),
    ).toBeNull();

    await userEvent.click(
      within(listbox).getByRole('option', {
        name: 'Roll back to 1.3.0 (Production ran it 5 days ago)',
      }),
    );
    await waitFor(() =>
      expect(api.promote).toHaveBeenLastCalledWith({
        entityRef,
        from: 'staging',
        to: 'prod',
        version: '1.3.0',
        dryRun: true,
      }),
    );
    expect(
      await within(dialog).findByText('Rollback of Production to 1.3.0'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'version-in-history: 1.3.0 was deployed to prod before',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        '+  tag: "1.3.0" # promoted by the portal',
        exact,
      ),
    ).toBeInTheDocument();

    const previews = api.promote.mock.calls.length;
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Open pull request' }),
    );
    expect(
      await within(dialog).findByRole('link', {
        name: 'Pull request #42 (opened)',
      }),
    ).toBeInTheDocument();
    expect(api.promote).toHaveBeenLastCalledWith(
      expect.objectContaining({ version: '1.3.0', dryRun: false }),
    );
    expect(api.promote).toHaveBeenCalledTimes(previews + 1);
  });

  it('still offers what the source runs when a history cannot be read, and says so', async () => {
    const api = mockGitopsApi({
      getState: jest.fn(async () => storefrontWebState),
      getHistory: jest.fn(async (_ref: string, environment: string) => {
        if (environment === 'prod') {
          throw new Error('history store unavailable');
        }
        return { entityRef, environment, entries: [], errors: [] };
      }),
      promote: jest.fn(async (request: PromotionRequest) =>
        planResult(request),
      ),
    });
    const dialog = await openPromoteDialog(api);
    expect(
      await within(dialog).findByText(
        'The history of Production could not be read, so its earlier versions are not offered: history store unavailable',
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: /Version to promote/ }),
    );
    expect(
      within(await screen.findByRole('listbox'))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['1.5.0 (runs in Staging)']);
    expect(within(dialog).queryByText(/^Rollback of/)).toBeNull();
  });

  it('stops at a failed gate and writes nothing', async () => {
    const api = mockGitopsApi({
      getState: jest.fn(async () => storefrontWebState),
      promote: jest.fn(async (request: PromotionRequest) => {
        const result = planResult(request);
        result.plan!.gates[1] = {
          gate: 'freeze-window',
          passed: false,
          message: 'prod is frozen until 2030-01-02T00:00:00Z',
        };
        return {
          ...result,
          outcome: 'blocked' as const,
          message: 'A gate failed',
        };
      }),
    });
    const dialog = await openPromoteDialog(api);
    expect(
      await within(dialog).findByText(
        'freeze-window: prod is frozen until 2030-01-02T00:00:00Z',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Open pull request' }),
    ).toBeDisabled();
    await waitFor(() => expect(api.promote).toHaveBeenCalledTimes(1));
    expect(api.promote.mock.calls.every(([r]) => r.dryRun === true)).toBe(true);
  });
});
