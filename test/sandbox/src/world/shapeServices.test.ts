import fs from 'node:fs';
import YAML from 'yaml';
import { startSandbox, Sandbox } from '../sandbox';
import { tmpDir, waitFor } from '../testing/helpers';
import { SHAPE_SERVICES } from './shapeServices';

/**
 * The shape services of the sample world: where each Application lives and what it points at,
 * and the reconciler playing Argo CD for them (a `$values` file, a child Application changed
 * through its app-of-apps parent, in-cluster Applications staying in their own instance).
 */
describe('sample world: shape services', () => {
  let sandbox: Sandbox;
  const stateDir = tmpDir('sandbox-shapes-');

  beforeAll(async () => {
    sandbox = await startSandbox({
      stateDir,
      ports: { coreKube: 0, edgeArgoCd: 0, github: 0, control: 0 },
      reconciler: { phaseDelayMs: 50 },
      control: false,
    });
  }, 30_000);

  afterAll(async () => {
    await sandbox.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  const app = (instance: string, name: string) =>
    sandbox.stores[instance].get('applications', 'argocd', name)!;
  const seeded = (name: string) =>
    sandbox.sampleWorld!.applications.find(a => a.name === name)!;
  const read = async (repo: string, path: string) =>
    (await sandbox.github.store
      .get('acme', repo)
      .git.readFile('refs/heads/main', path))!.toString('utf8');

  it('seeds every shape service in every cluster, staging one version ahead of prod', () => {
    for (const service of SHAPE_SERVICES) {
      const apps = sandbox.sampleWorld!.applications.filter(
        a => a.service === service.name,
      );
      expect(apps.map(a => a.cluster).sort()).toEqual([
        'dev-1',
        'prod-eu-1',
        'prod-us-1',
        'staging-1',
      ]);
      const staging = apps.find(a => a.cluster === 'staging-1')!;
      for (const prod of apps.filter(a => a.cluster.startsWith('prod-'))) {
        expect(prod.desired).not.toBe(staging.desired);
        expect(prod).toMatchObject({ live: prod.desired, sync: 'Synced' });
      }
    }
  });

  it('multi-source: the golden-path chart from platform-charts, values from discovery-gitops', async () => {
    const search = app('core', 'search-api-staging-1');
    expect(search.spec.sources).toEqual([
      expect.objectContaining({
        repoURL: `${sandbox.urls.githubWeb}/acme/platform-charts.git`,
        path: 'charts/golden-path',
        helm: expect.objectContaining({
          valueFiles: ['$values/apps/search-api/envs/staging/values.yaml'],
        }),
      }),
      {
        repoURL: `${sandbox.urls.githubWeb}/acme/discovery-gitops.git`,
        targetRevision: 'main',
        ref: 'values',
      },
    ]);
    expect(search.status.sync.revisions).toEqual([
      sandbox.sampleWorld!.heads['acme/platform-charts'],
      sandbox.sampleWorld!.heads['acme/discovery-gitops'],
    ]);
    expect(search.status.summary.images).toEqual([
      'ghcr.io/acme/search-api:3.1.0',
    ]);
    expect(
      await read(
        'discovery-gitops',
        'apps/search-api/envs/staging/values.yaml',
      ),
    ).toContain('tag: "3.1.0"');
    expect(seeded('search-api-prod-us-1')).toMatchObject({
      instance: 'edge',
      desired: '3.0.4',
    });
  });

  it('OCI: the chart from oci:// in the path form, its version as the source revision', () => {
    const recommendations = app('edge', 'recommendations-api-prod-us-1');
    expect(recommendations.spec.sources[0]).toMatchObject({
      repoURL: 'oci://ghcr.io/acme/charts/golden-path',
      path: '.',
      targetRevision: '1.0.0',
    });
    expect(recommendations.status.sync.revisions[0]).toBe('1.0.0');
    expect(recommendations.status.summary.images).toEqual([
      'ghcr.io/acme/recommendations-api:0.8.0',
    ]);
  });

  it('helm.parameters: children of an app-of-apps parent, tracked by app.kubernetes.io/instance', async () => {
    const parent = app('eu', 'discovery-apps-prod-eu-1');
    expect(parent.spec.source).toMatchObject({
      path: 'app-of-apps/prod-eu-1',
    });
    expect(parent.status.sourceType).toBe('Directory');
    const child = app('eu', 'reviews-api-prod-eu-1');
    expect(child.metadata.labels?.['app.kubernetes.io/instance']).toBe(
      'discovery-apps-prod-eu-1',
    );
    expect(child.spec.source.helm.parameters).toEqual([
      { name: 'image.tag', value: '5.0.0' },
    ]);
    const inGit = YAML.parse(
      (
        await read('discovery-gitops', 'app-of-apps/prod-eu-1/reviews-api.yaml')
      ).replace(/^#.*\n/, ''),
    );
    expect(inGit.spec).toEqual(child.spec);
    expect(app('edge', 'reviews-api-prod-us-1').metadata.labels).toMatchObject({
      'app.kubernetes.io/instance': 'discovery-apps-prod-us-1',
    });
  });

  it('in-cluster: each per-cluster instance deploys to its own cluster', () => {
    for (const [instance, cluster] of [
      ['eu', 'prod-eu-1'],
      ['edge', 'prod-us-1'],
    ]) {
      expect(app(instance, `ratings-api-${cluster}`).spec.destination).toEqual({
        server: 'https://kubernetes.default.svc',
        namespace: 'ratings-api',
      });
    }
    expect(
      sandbox.stores.core.get(
        'applications',
        'argocd',
        'ratings-api-prod-eu-1',
      ),
    ).toBeUndefined();
    expect(app('core', 'ratings-api-staging-1').spec.destination.server).toBe(
      'https://staging-1.clusters.acme.internal',
    );
  });

  it('syncs a multi-source Application when its $values file changes, and a child when its parent path changes', async () => {
    const valuesPath = 'apps/search-api/envs/prod/values.yaml';
    const childPath = 'app-of-apps/prod-eu-1/reviews-api.yaml';
    const values = await read('discovery-gitops', valuesPath);
    const child = await read('discovery-gitops', childPath);
    const sha = await sandbox.github.store.commitFiles(
      'acme',
      'discovery-gitops',
      {
        message: 'promote search-api and reviews-api',
        files: {
          [valuesPath]: values.replace('tag: "3.0.4"', 'tag: "3.1.0"'),
          [childPath]: child.replace('value: 5.0.0', 'value: 5.1.0'),
        },
      },
    );
    const cases: [string, string, string, Record<string, unknown>][] = [
      [
        'core',
        'search-api-prod-eu-1',
        'ghcr.io/acme/search-api:3.1.0',
        { revisions: [expect.any(String), sha] },
      ],
      [
        'edge',
        'search-api-prod-us-1',
        'ghcr.io/acme/search-api:3.1.0',
        { revisions: [expect.any(String), sha] },
      ],
      [
        'eu',
        'reviews-api-prod-eu-1',
        'ghcr.io/acme/reviews-api:5.1.0',
        { revision: sha },
      ],
    ];
    for (const [instance, name, image, lastHistory] of cases) {
      const synced = await waitFor(
        () => {
          const a = app(instance, name);
          return a.status.summary.images[0] === image &&
            a.status.sync.status === 'Synced' &&
            a.status.health.status === 'Healthy'
            ? a
            : undefined;
        },
        5000,
        `${name} on ${image}`,
      );
      expect(
        synced.status.history[synced.status.history.length - 1],
      ).toMatchObject(lastHistory);
    }
    expect(
      app('eu', 'reviews-api-prod-eu-1').spec.source.helm.parameters,
    ).toEqual([{ name: 'image.tag', value: '5.1.0' }]);
    // The other prod cluster's child did not change.
    expect(app('edge', 'reviews-api-prod-us-1').status.summary.images).toEqual([
      'ghcr.io/acme/reviews-api:5.0.0',
    ]);
    await sandbox.reconciler.idle();
    // No in-cluster Application was duplicated into the hub instance by the push.
    expect(sandbox.stores.core.count()).toBe(21);
    expect(sandbox.stores.eu.count()).toBe(3);
  });
});
