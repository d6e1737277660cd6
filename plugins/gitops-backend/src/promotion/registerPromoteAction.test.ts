import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { PromotionResult } from '@backstage-gitops/plugin-gitops-common';
import { mockPromotionPlan } from '@backstage-gitops/plugin-gitops-common/testUtils';
import { ConflictError } from '@backstage/errors';
import { PromotionService } from './PromotionService';
import { registerPromoteAction } from './registerPromoteAction';
import { fakeRepo } from './__testUtils__/fakeGitops';
import { testPromotionService } from './__testUtils__/testPromotionService';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('promote action', () => {
  it('declares itself destructive: superseding closes older open pull requests', async () => {
    const registry = actionsRegistryServiceMock();
    registerPromoteAction({
      actionsRegistry: registry,
      promotions: {} as unknown as PromotionService,
    });
    const { actions } = await registry.list();
    const promote = actions.find(a => a.name === 'promote');
    expect(promote?.attributes).toEqual({
      destructive: true,
      idempotent: true,
      readOnly: false,
    });
    expect(promote?.description).toMatch(/supersedes are closed/);
  });

  it('promotes through the service with the caller credentials and summarizes the result', async () => {
    const result: PromotionResult = {
      id: 'p-1',
      outcome: 'dry-run',
      message: 'Would promote 1.5.0 to prod (prod-eu-1, prod-us-1)',
      pullRequests: [],
      superseded: [],
      plan: mockPromotionPlan({ service: 'storefront-web' }),
    };
    const promote = jest.fn(async () => result);
    const registry = actionsRegistryServiceMock();
    registerPromoteAction({
      actionsRegistry: registry,
      promotions: { promote } as unknown as PromotionService,
    });
    const credentials = mockCredentials.user('user:default/jane');

    const { output } = await registry.invoke({
      id: 'test:promote',
      input: {
        entityRef: 'component:default/storefront-web',
        from: 'staging',
        to: 'prod',
      },
      credentials,
    });

    expect(promote).toHaveBeenCalledWith(
      {
        entityRef: 'component:default/storefront-web',
        from: 'staging',
        to: 'prod',
        dryRun: true,
      },
      { credentials },
    );
    expect(output).toEqual({
      id: 'p-1',
      outcome: 'dry-run',
      message: result.message,
      pullRequests: [],
      gates: result.plan!.gates,
      diffs: ['-  tag: 1.4.2\n+  tag: 1.5.0\n'],
      blobShas: Object.fromEntries(
        result.plan!.waves[0].edits.map(e => [e.path, e.blobSha]),
      ),
      remainingWaves: [],
    });
  });

  describe('with the blob shas of a dry run', () => {
    const PATH = 'apps/checkout-api/envs/prod/values.yaml';
    const input = {
      entityRef: 'component:default/checkout-api',
      from: 'staging',
      to: 'prod',
    };
    const credentials = mockCredentials.user('user:default/jane');

    async function setup() {
      const files = { [PATH]: 'image:\n  tag: 1.4.2\n' };
      const repo = fakeRepo(files);
      const { promotions } = await testPromotionService({
        client: repo.client,
        knex: await databases.init('SQLITE_3'),
      });
      const registry = actionsRegistryServiceMock();
      registerPromoteAction({ actionsRegistry: registry, promotions });
      const invoke = (extra: object) =>
        registry.invoke({
          id: 'test:promote',
          input: { ...input, ...extra },
          credentials,
        });
      const preview = await invoke({ dryRun: true });
      return { files, repo, invoke, preview };
    }

    it('promotes when no pinned file changed', async () => {
      const { repo, invoke, preview } = await setup();
      const blobShas = (preview.output as { blobShas: Record<string, string> })
        .blobShas;
      expect(Object.keys(blobShas)).toEqual([PATH]);

      const { output } = await invoke({
        dryRun: false,
        expectedBlobShas: blobShas,
      });

      expect(output).toMatchObject({ outcome: 'opened' });
      expect(repo.counts.writes).toBeGreaterThan(0);
    });

    it('refuses with a 409 naming the file that changed since, and writes nothing', async () => {
      const { files, repo, invoke, preview } = await setup();
      files[PATH] = '# bumped by hand\nimage:\n  tag: 1.4.3\n';

      const promise = invoke({
        dryRun: false,
        expectedBlobShas: (preview.output as { blobShas: object }).blobShas,
      });

      await expect(promise).rejects.toBeInstanceOf(ConflictError);
      await expect(promise).rejects.toThrow(`${PATH} changed since the plan`);
      expect(repo.counts.writes).toBe(0);
      expect(repo.pulls).toHaveLength(0);
    });

    it('refuses a malformed pin with a 400', async () => {
      const { repo, invoke } = await setup();
      await expect(
        invoke({ dryRun: false, expectedBlobShas: { [PATH]: 'not-a-sha' } }),
      ).rejects.toThrow(/expectedBlobShas\..*must be a blob sha/);
      expect(repo.counts.writes).toBe(0);
    });
  });
});
