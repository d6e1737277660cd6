import { fullApplication } from '../__testUtils__/applications';
import { testGitopsConfig } from '../__testUtils__/gitopsConfig';
import { ApplicationEpisodes } from '../episodes/ApplicationEpisodes';
import { projectApplication } from '../sources/projectApplication';
import { SlimApplication, SourceStatus } from '../sources/types';
import { ApplicationStore } from '../store/ApplicationStore';
import { computeControlPlaneHealth } from './computeControlPlaneHealth';

const MINUTE = 60_000;

const config = testGitopsConfig({
  topology: {
    environments: [
      { name: 'staging', title: 'Staging', clusters: ['staging-1'] },
      { name: 'prod', title: 'Production', clusters: ['prod-eu-1'] },
    ],
    clusters: [{ name: 'staging-1' }, { name: 'prod-eu-1' }],
  },
  instances: [
    {
      name: 'core',
      type: 'kubernetes',
      timeoutMs: 1,
      uiUrl: 'https://argo.example/',
    },
    { name: 'edge', type: 'argocd', url: 'https://edge.example', timeoutMs: 1 },
  ],
});

const app = (
  name: string,
  cluster: string,
  options: { sync?: string; health?: string } = {},
): SlimApplication =>
  projectApplication(
    fullApplication({
      name,
      service: name,
      cluster,
      version: '1.0.0',
      ...options,
    }),
  );

function world(options: { maxListed?: number } = {}) {
  let now = 0;
  const store = new ApplicationStore([]);
  const episodes = new ApplicationEpisodes({ now: () => now });
  store.onChange(change => episodes.observe(change));
  const statuses: Record<string, SourceStatus> = {
    core: {
      instance: 'core',
      type: 'kubernetes',
      state: 'ok',
      errors: [],
      lastActivityAt: '2026-01-01T00:00:00.000Z',
      restarts: 0,
    },
    edge: {
      instance: 'edge',
      type: 'argocd',
      state: 'error',
      errors: [
        {
          source: 'instance:edge',
          kind: 'unreachable',
          message: 'connect ECONNREFUSED',
        },
      ],
      restarts: 3,
    },
  };
  return {
    store,
    at: (ms: number) => {
      now = ms;
    },
    health: () =>
      computeControlPlaneHealth(
        {
          config: {
            ...config,
            controlPlane: {
              outOfSyncThresholdMs: 30 * MINUTE,
              maxListed: options.maxListed ?? 50,
            },
          },
          store,
          sources: Object.values(statuses).map(s => ({
            instance: s.instance,
            status: () => s,
          })),
          episodes,
        },
        now,
      ),
  };
}

describe('computeControlPlaneHealth', () => {
  it('lists OutOfSync Applications only past the threshold, longest first, with Argo CD links', () => {
    const w = world();
    w.at(0);
    w.store.upsert('core', app('a', 'prod-eu-1', { sync: 'OutOfSync' }));
    w.at(10 * MINUTE);
    w.store.upsert('core', app('b', 'prod-eu-1', { sync: 'OutOfSync' }));
    w.at(20 * MINUTE);
    w.store.upsert('core', app('c', 'staging-1', { sync: 'OutOfSync' }));
    w.store.upsert('core', app('d', 'staging-1'));

    w.at(45 * MINUTE);
    const core = w.health().instances[0];
    expect(core.outOfSyncLong.map(a => [a.name, a.since, a.url])).toEqual([
      [
        'a',
        '1970-01-01T00:00:00.000Z',
        'https://argo.example/applications/argocd/a',
      ],
      [
        'b',
        '1970-01-01T00:10:00.000Z',
        'https://argo.example/applications/argocd/b',
      ],
    ]);
    expect(core.applications).toBe(4);
    expect(core.clusters).toEqual([
      {
        name: 'staging-1',
        environment: 'staging',
        applications: 2,
        outOfSync: 1,
        degraded: 0,
        syncFailures24h: 0,
      },
      {
        name: 'prod-eu-1',
        environment: 'prod',
        applications: 2,
        outOfSync: 2,
        degraded: 0,
        syncFailures24h: 0,
      },
    ]);
    expect(w.health().outOfSyncThresholdMinutes).toBe(30);
  });

  it('bounds the lists, keeping the longest', () => {
    const w = world({ maxListed: 2 });
    for (let i = 0; i < 5; i++) {
      w.at(i * MINUTE);
      w.store.upsert(
        'core',
        app(`app-${i}`, 'prod-eu-1', { health: 'Degraded', sync: 'OutOfSync' }),
      );
    }
    w.at(100 * MINUTE);
    const core = w.health().instances[0];
    expect(core.degraded.map(a => a.name)).toEqual(['app-0', 'app-1']);
    expect(core.outOfSyncLong.map(a => a.name)).toEqual(['app-0', 'app-1']);
    expect(core.clusters[0]).toMatchObject({ degraded: 5, outOfSync: 5 });
  });

  it('counts sync failures of 24 hours per cluster and groups their reasons', () => {
    const w = world();
    const failing = (
      name: string,
      message: string,
      at: string,
    ): SlimApplication => ({
      ...app(name, 'prod-eu-1'),
      operation: { phase: 'Failed', message },
      lastSyncedAt: at,
    });
    w.at(Date.parse('2026-01-02T00:00:00Z'));
    w.store.upsert(
      'core',
      failing(
        'a',
        'one or more objects failed to apply, reason: Operation cannot be fulfilled on deployments.apps "a": the object has been modified (resourceVersion 123456), at revision 0a1b2c3d4e5f (retried 2 times).',
        '2026-01-01T23:00:00Z',
      ),
    );
    w.store.upsert(
      'core',
      failing(
        'b',
        'one or more objects failed to apply, reason: Operation cannot be fulfilled on deployments.apps "a": the object has been modified (resourceVersion 998877), at revision 9f8e7d6c5b4a (retried 5 times).',
        '2026-01-01T23:30:00Z',
      ),
    );
    w.store.upsert(
      'core',
      failing('c', 'ComparisonError: rpc error', '2026-01-01T22:00:00Z'),
    );
    w.store.upsert(
      'core',
      failing('old', 'too old to count', '2025-12-30T00:00:00Z'),
    );

    const core = w.health().instances[0];
    expect(core.syncFailures24h).toBe(3);
    expect(core.clusters[0].syncFailures24h).toBe(3);
    expect(core.topSyncFailureReasons).toEqual([
      {
        message:
          'one or more objects failed to apply, reason: Operation cannot be fulfilled on deployments.apps "a": the object has been modified (resourceVersion <n>), at revision <hash>',
        count: 2,
      },
      { message: 'ComparisonError: rpc error', count: 1 },
    ]);
  });

  it("reports a failing source's state and errors, and links an argocd instance's own UI", () => {
    const w = world();
    const [core, edge] = w.health().instances;
    expect(core).toMatchObject({
      state: 'ok',
      lastEventAt: '2026-01-01T00:00:00.000Z',
      url: 'https://argo.example',
    });
    expect(edge).toMatchObject({
      name: 'edge',
      type: 'argocd',
      state: 'error',
      errors: [{ kind: 'unreachable', message: 'connect ECONNREFUSED' }],
      url: 'https://edge.example',
      applications: 0,
      clusters: [],
    });
    expect(edge.lastEventAt).toBeUndefined();
  });
});
