import { act, screen, waitFor, within } from '@testing-library/react';
import { ResponseError } from '@backstage/errors';
import { gitopsStateChannel } from '@backstage-gitops/plugin-gitops-common';
import {
  checkoutApiState,
  clusterState,
  edgeUnreachableState,
  environmentState,
  paymentsWorkerState,
  storefrontWebState,
} from '../../__testUtils__/states';
import {
  entityNamed,
  ManualSignalApi,
  mockGitopsApi,
  renderWithEntity,
} from '../../__testUtils__/renderGitops';
import { GitopsContent } from './GitopsContent';

function cell(name: string) {
  return screen.getByRole('region', { name });
}

describe('GitopsContent', () => {
  it('reads readiness from its own route and shows a failure to read it beside the cells', async () => {
    const api = mockGitopsApi({
      getState: jest.fn(async () => checkoutApiState),
      getReadiness: jest.fn(async () => {
        throw new Error('readiness route down');
      }),
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('checkout-api'),
      api,
    });
    expect(
      await screen.findByText('Could not load the readiness checks'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'prod-us-1' }),
    ).toBeInTheDocument();
    expect(api.getReadiness).toHaveBeenCalledWith(
      'component:default/checkout-api',
    );
  });

  it('shows drift in the one cluster that drifted, expected drift apart', async () => {
    const api = mockGitopsApi({
      getState: jest.fn(async () => checkoutApiState),
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('checkout-api'),
      api,
    });

    const prodUs = await screen.findByRole('region', { name: 'prod-us-1' });
    expect(within(prodUs).getByText('OutOfSync')).toBeInTheDocument();
    expect(
      within(prodUs).getByText('2 differences from Git'),
    ).toBeInTheDocument();
    expect(
      within(prodUs).getByRole('link', {
        name: 'Open checkout-api-prod-us-1 in Argo CD',
      }),
    ).toHaveAttribute(
      'href',
      'https://argocd.example.com/applications/argocd/checkout-api-prod-us-1',
    );
    expect(within(cell('prod-eu-1')).getByText('Synced')).toBeInTheDocument();
    expect(
      within(cell('prod-eu-1')).queryByText(/differences from Git/),
    ).toBeNull();

    expect(screen.getByText('checkout-api-config')).toBeInTheDocument();
    expect(screen.getByText('Requires pruning (1)')).toBeInTheDocument();
    expect(screen.getByText('checkout-api-legacy')).toBeInTheDocument();
    expect(
      screen.getByText(
        'Expected drift (caused by controllers, for example autoscalers) (1)',
      ),
    ).toBeInTheDocument();
    expect(api.getState).toHaveBeenCalledWith('component:default/checkout-api');
  });

  it('highlights skew between the two prod clusters', async () => {
    const api = mockGitopsApi({
      getState: jest.fn(async () => paymentsWorkerState),
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('payments-worker'),
      api,
    });

    const prodUs = await screen.findByRole('region', { name: 'prod-us-1' });
    expect(within(prodUs).getByText('0.8.4')).toBeInTheDocument();
    expect(within(prodUs).getByText('0.9.1')).toBeInTheDocument();
    expect(
      within(prodUs).getByText('Skew: live differs from desired'),
    ).toBeInTheDocument();
    expect(
      within(cell('prod-eu-1')).queryByText('Skew: live differs from desired'),
    ).toBeNull();
    const production = cell('Production');
    expect(
      within(production).getByText('clusters on different versions'),
    ).toBeInTheDocument();
    expect(within(production).getByText('0.9.1 / 0.8.4')).toBeInTheDocument();
  });

  it('says why a desired version is unknown, and where a known one comes from', async () => {
    const state = structuredClone(storefrontWebState);
    const [prodEu, prodUs] = state.environments[2].clusters;
    Object.assign(prodEu, {
      desiredVersion: undefined,
      desiredSource: undefined,
      desiredReason: 'no Helm values source sets image.tag',
    });
    Object.assign(prodUs, {
      desiredVersion: '1.4.9',
      desiredSource: {
        repoUrl: 'https://github.com/acme/gitops',
        path: 'apps/storefront-web',
        ref: 'main',
        locator: { type: 'helm-parameter', name: 'image.tag' },
      },
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('storefront-web'),
      api: mockGitopsApi({ getState: jest.fn(async () => state) }),
    });

    const eu = await screen.findByRole('region', { name: 'prod-eu-1' });
    expect(
      within(eu).getByTitle('no Helm values source sets image.tag'),
    ).toHaveTextContent('unknown');
    expect(
      within(cell('prod-us-1')).getByTitle(
        'Desired version from: apps/storefront-web (helm-parameter)',
      ),
    ).toHaveTextContent('1.4.9');
  });

  it('shows staging ahead of prod in the pipeline', async () => {
    const api = mockGitopsApi({
      getState: jest.fn(async () => storefrontWebState),
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('storefront-web'),
      api,
    });

    const pipeline = await screen.findByRole('list', { name: 'Pipeline' });
    const stages = within(pipeline).getAllByRole('listitem');
    expect(stages.map(s => s.textContent)).toEqual([
      expect.stringMatching(/^Development1\.5\.0/),
      expect.stringMatching(/up to date with Development.*Staging1\.5\.0/),
      expect.stringMatching(/1 version behind Staging.*Production1\.4\.2/),
    ]);
  });

  it('keeps the other clusters when one source fails', async () => {
    const api = mockGitopsApi({
      getState: jest.fn(async () => edgeUnreachableState),
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('storefront-web'),
      api,
    });

    const prodUs = await screen.findByRole('region', { name: 'prod-us-1' });
    expect(within(prodUs).getByText('Source failed')).toBeInTheDocument();
    expect(
      within(prodUs).getByText(
        'instance:edge (unreachable): connect ECONNREFUSED 127.0.0.1:7451',
      ),
    ).toBeInTheDocument();
    // nothing is known of it beyond the failure: no badges or versions made up
    expect(within(prodUs).queryByText('Unknown')).toBeNull();
    expect(within(prodUs).queryByText('Live')).toBeNull();
    // live and desired version
    expect(within(cell('prod-eu-1')).getAllByText('1.4.2')).toHaveLength(2);
    expect(within(cell('staging-1')).getByText('Healthy')).toBeInTheDocument();
    expect(
      screen.getByText(/1 source could not be read: the data below is partial/),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(
        'instance:edge (unreachable): connect ECONNREFUSED 127.0.0.1:7451',
      ),
    ).toHaveLength(2);
  });

  it('shows the annotation to add when the entity is not configured', async () => {
    const api = mockGitopsApi({
      getState: jest.fn(async () => ({
        entityRef: 'component:default/legacy-billing',
        status: 'not-configured' as const,
        environments: [],
        errors: [],
        updatedAt: new Date().toISOString(),
      })),
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('legacy-billing', false),
      api,
    });

    expect(
      await screen.findByText('GitOps is not configured for this entity'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /argocd\/app-selector: app\.kubernetes\.io\/name=legacy-billing/,
      ),
    ).toBeInTheDocument();
  });

  it('says to keep one of argocd/app-name and argocd/app-selector when both are set', async () => {
    const message =
      'Both argocd/app-name and argocd/app-selector are set on component:default/checkout-api; keep one of the two: argocd/app-name names one Application, argocd/app-selector selects them by label';
    const api = mockGitopsApi({
      getState: jest.fn(async () => ({
        entityRef: 'component:default/checkout-api',
        status: 'ok' as const,
        environments: [],
        errors: [
          {
            source: 'annotation:argocd/app-selector',
            kind: 'config' as const,
            message,
          },
        ],
        updatedAt: new Date().toISOString(),
      })),
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('checkout-api'),
      api,
    });

    expect(
      await screen.findByText(
        `annotation:argocd/app-selector (config): ${message}`,
      ),
    ).toBeInTheDocument();
  });

  it('shows the message of a failed request', async () => {
    const error = await ResponseError.fromResponse({
      ok: false,
      status: 403,
      statusText: 'Forbidden',
      url: 'http://localhost:7007/api/gitops/v1/state/component/default/checkout-api',
      redirected: false,
      type: 'basic',
      headers: {
        get: (name: string) =>
          name.toLowerCase() === 'content-type' ? 'application/json' : null,
      } as Headers,
      text: async () =>
        JSON.stringify({
          error: {
            name: 'NotAllowedError',
            message: 'You may not read the deployment state of this entity',
          },
          response: { statusCode: 403 },
        }),
    });
    const api = mockGitopsApi({
      getState: jest.fn(async () => {
        throw error;
      }),
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('checkout-api'),
      api,
    });

    expect(
      await screen.findByText(
        /Could not load the deployment state: You may not read the deployment state of this entity/,
      ),
    ).toBeInTheDocument();
  });

  it('refetches when the backend signals a change, without reload', async () => {
    const signals = new ManualSignalApi();
    const promoted = structuredClone(storefrontWebState);
    promoted.environments[2].clusters.forEach(c => {
      c.liveVersion = '1.5.0';
      c.desiredVersion = '1.5.0';
    });
    promoted.environments[2].versions = ['1.5.0'];
    const api = mockGitopsApi({
      getState: jest
        .fn()
        .mockResolvedValueOnce(storefrontWebState)
        .mockResolvedValue(promoted),
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('storefront-web'),
      api,
      signals,
    });
    const prodEu = await screen.findByRole('region', { name: 'prod-eu-1' });
    expect(within(prodEu).getAllByText('1.4.2')).toHaveLength(2);

    act(() =>
      signals.publish(gitopsStateChannel('component:default/storefront-web'), {
        entityRef: 'component:default/storefront-web',
        updatedAt: new Date().toISOString(),
      }),
    );

    await waitFor(() =>
      expect(within(cell('prod-eu-1')).getAllByText('1.5.0')).toHaveLength(2),
    );
    expect(within(cell('prod-eu-1')).queryByText('1.4.2')).toBeNull();
    expect(api.getState).toHaveBeenCalledTimes(2);
  });

  it('says why a sync failed, why a live version is unknown, and counts drift exactly', async () => {
    const failed = clusterState('checkout-api', 'dev', 'dev-1', '1.4.2', {
      sync: 'OutOfSync',
      liveVersion: undefined,
      liveVersionReason:
        "no live image is named checkout-api (live: alpine:latest); set the gitops/image annotation to the service's image repository",
      operationPhase: 'Failed',
      operation: {
        phase: 'Failed',
        message: 'one or more synchronization tasks completed unsuccessfully',
        failed: [
          {
            kind: 'Job',
            namespace: 'checkout',
            name: 'db-migrate',
            hookType: 'PreSync',
            message: 'Job has reached the specified backoff limit',
          },
        ],
      },
      drift: {
        outOfSync: [],
        requiresPruning: [],
        missing: [
          {
            kind: 'Service',
            namespace: 'checkout',
            name: 'checkout-api',
            status: 'OutOfSync',
            health: 'Missing',
          },
        ],
        comparisonErrors: [],
        expected: [],
        omitted: 39,
        counts: { outOfSync: 30, requiresPruning: 0, missing: 10, expected: 0 },
        warnings: [
          'OrphanedResourceWarning: Application has 2 orphaned resources',
        ],
      },
    });
    const api = mockGitopsApi({
      getState: jest.fn(async () => ({
        entityRef: 'component:default/checkout-api',
        status: 'ok' as const,
        environments: [environmentState('dev', 'Development', [failed])],
        errors: [],
        updatedAt: new Date().toISOString(),
      })),
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('checkout-api'),
      api,
    });

    const dev = await screen.findByRole('region', { name: 'dev-1' });
    expect(within(dev).getByText('Sync Failed')).toBeInTheDocument();
    expect(
      within(dev).getByText(
        'one or more synchronization tasks completed unsuccessfully',
      ),
    ).toBeInTheDocument();
    expect(
      within(dev).getByText(
        'PreSync hook Job/checkout/db-migrate failed: Job has reached the specified backoff limit',
      ),
    ).toBeInTheDocument();
    expect(
      within(dev).getByText(/^unknown: no live image is named checkout-api/),
    ).toBeInTheDocument();
    expect(
      within(dev).getByText('40 differences from Git'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Missing from the cluster (10)'),
    ).toBeInTheDocument();
    expect(screen.getByText('1 of 10 shown')).toBeInTheDocument();
    expect(screen.getByText('Out of sync (30)')).toBeInTheDocument();
    expect(
      screen.getByText(
        'OrphanedResourceWarning: Application has 2 orphaned resources',
      ),
    ).toBeInTheDocument();
  });
});
