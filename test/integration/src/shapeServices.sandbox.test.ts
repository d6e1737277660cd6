import type { EntityGitopsState } from '@backstage-gitops/plugin-gitops-common';
import {
  Sandbox,
  SHAPE_SERVICES,
  startIsolatedSandbox,
} from '@internal/gitops-sandbox';
import {
  cells,
  eventually,
  GitopsBackend,
  startGitopsBackend,
} from './gitopsBackend';

jest.setTimeout(60_000);

/**
 * The sample world's shape services through the real backend: every cell shows what the
 * sandbox seeded (instance, desired and live version, sync, health) and says where the desired
 * version comes from: a `$values` file of another repository than the chart (multi-source and
 * OCI), the Application's `helm.parameters` (app of apps), and per-cluster instances' in-cluster
 * Applications each in their own cluster's cell.
 */
describe('shape services of the sample world through the state API', () => {
  let sandbox: Sandbox;
  let backend: GitopsBackend;

  beforeAll(async () => {
    sandbox = await startIsolatedSandbox('gitops-shapes', { control: false });
    backend = await startGitopsBackend(sandbox);
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
  });

  async function state(name: string): Promise<EntityGitopsState> {
    return eventually(`desired versions of ${name}`, async () => {
      const res = await backend.getState(name);
      expect(res.status).toBe(200);
      const body: EntityGitopsState = res.body;
      expect(cells(body).every(c => c.desiredVersion)).toBe(true);
      return body;
    });
  }

  it.each(SHAPE_SERVICES.map(s => [s.name, s.shape]))(
    '%s (%s): every cell is what the sandbox seeded',
    async service => {
      const body = await state(service);
      expect(body.errors).toEqual([]);
      const seeded = sandbox.sampleWorld!.applications.filter(
        a => a.service === service,
      );
      expect(
        cells(body).map(c => ({
          cluster: c.cluster,
          instance: c.application?.instance,
          name: c.application?.name,
          desired: c.desiredVersion,
          live: c.liveVersion,
          sync: c.sync,
          health: c.health,
          skew: c.skew,
        })),
      ).toEqual(
        ['dev-1', 'staging-1', 'prod-eu-1', 'prod-us-1'].map(cluster => {
          const app = seeded.find(a => a.cluster === cluster)!;
          return {
            cluster,
            instance: app.instance,
            name: app.name,
            desired: app.desired,
            live: app.live,
            sync: app.sync,
            health: app.health,
            skew: false,
          };
        }),
      );
      const [, staging, prod] = body.environments;
      expect(prod.version).not.toBe(staging.version);
    },
  );

  it.each([['search-api'], ['recommendations-api']])(
    '%s: the desired version comes from the $values file in discovery-gitops',
    async service => {
      const body = await state(service);
      for (const cell of cells(body)) {
        expect(cell.desiredSource).toMatchObject({
          repoUrl: expect.stringMatching(/\/acme\/discovery-gitops(\.git)?$/),
          path: `apps/${service}/envs/${cell.environment}/values.yaml`,
          locator: { type: 'helm-values', key: 'image.tag' },
        });
        // the commit shown is the values repository's, not the chart's
        expect(cell.revisionUrl).toMatch(
          /\/acme\/discovery-gitops\/commit\/[0-9a-f]{40}$/,
        );
      }
    },
  );

  it('reviews-api: the desired version is the Application helm.parameters item, found in Git through its parent', async () => {
    for (const cell of cells(await state('reviews-api'))) {
      expect(cell.desiredSource?.locator).toEqual({
        type: 'helm-parameter',
        name: 'image.tag',
        application: cell.application?.name,
      });
      expect(cell.desiredSource?.path).toBe(
        `app-of-apps/${cell.cluster}/reviews-api.yaml`,
      );
    }
  });

  it('ratings-api: the in-cluster Applications of two per-cluster instances land in their own cells', async () => {
    const prod = (await state('ratings-api')).environments[2];
    expect(
      prod.clusters.map(c => [c.cluster, c.application?.instance]),
    ).toEqual([
      ['prod-eu-1', 'eu'],
      ['prod-us-1', 'edge'],
    ]);
  });
});
