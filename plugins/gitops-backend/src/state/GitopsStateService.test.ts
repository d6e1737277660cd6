import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { TrackedPromotion } from '@backstage-gitops/plugin-gitops-common';
import { fullApplication } from '../__testUtils__/applications';
import { DEFAULT_CACHE_LIMITS } from '@backstage-gitops/plugin-gitops-node';
import { testGitopsConfig } from '../__testUtils__/gitopsConfig';
import { DesiredVersionReader } from '../git/DesiredVersionReader';
import { projectApplication } from '../sources/projectApplication';
import { ApplicationStore } from '../store/ApplicationStore';
import { GitopsStateService } from './GitopsStateService';

const config = testGitopsConfig({
  topology: {
    environments: [{ name: 'dev', title: 'Development', clusters: ['dev-1'] }],
    clusters: [{ name: 'dev-1' }],
  },
  instances: [
    {
      name: 'core',
      type: 'kubernetes',
      url: 'https://core.example.com',
      timeoutMs: 10_000,
    },
    {
      name: 'edge',
      type: 'kubernetes',
      url: 'https://edge.example.com',
      timeoutMs: 10_000,
    },
  ],
});

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'api' },
  },
  spec: {},
};

function service(
  store: ApplicationStore,
  reader: Partial<DesiredVersionReader> = {
    cached: () => ({}),
    desiredVersion: async () => ({}),
  },
  gitWaitMs?: number,
) {
  return new GitopsStateService({
    config,
    store,
    sources: [],
    versions: reader as DesiredVersionReader,
    logger: mockServices.logger.mock(),
    gitWaitMs,
  });
}

function dev1(name: string, version: string) {
  return projectApplication(
    fullApplication({ name, service: 'api', cluster: 'dev-1', version }),
  );
}

describe('GitopsStateService', () => {
  it.each([
    ['in one order', ['edge', 'core']],
    ['in the other', ['core', 'edge']],
  ])(
    'reports two Applications in one cell as ambiguous and shows the first by name (%s)',
    async (_, [first, second]) => {
      const store = new ApplicationStore(['backstage.io/kubernetes-id']);
      const apps: Record<string, ReturnType<typeof dev1>> = {
        // by instance core would come first; by name edge's api-a does
        core: dev1('api-b', '2.0.0'),
        edge: dev1('api-a', '1.0.0'),
      };
      store.upsert(first, apps[first]);
      store.upsert(second, apps[second]);

      const state = await service(store).getState(entity);

      const cell = state.environments[0].clusters[0];
      expect(cell.application).toMatchObject({
        instance: 'edge',
        name: 'api-a',
      });
      expect(cell.liveVersion).toBe('1.0.0');
      expect(state.errors).toEqual([
        {
          source: 'application:core/argocd/api-b',
          instance: 'core',
          environment: 'dev',
          cluster: 'dev-1',
          kind: 'ambiguous',
          message: expect.stringMatching(
            /^Applications argocd\/api-a \(instance edge\) and argocd\/api-b \(instance core\) both deploy this entity to dev\/dev-1; showing api-a\./,
          ),
        },
      ]);
    },
  );

  it('reports nothing for one Application per cell', async () => {
    const store = new ApplicationStore(['backstage.io/kubernetes-id']);
    store.upsert('core', dev1('api-a', '1.0.0'));
    const state = await service(store).getState(entity);
    expect(state.errors).toEqual([]);
  });

  it('shows the newest tracked promotion into each environment', async () => {
    const store = new ApplicationStore(['backstage.io/kubernetes-id']);
    store.upsert('core', dev1('api-a', '1.0.0'));
    const tracked = (id: string, to: string, openedAt: string) =>
      ({ id, to, openedAt, stage: 'open' } as TrackedPromotion);
    const state = service(store);
    const asked: string[] = [];
    state.usePromotions({
      forEntity: ref => {
        asked.push(ref);
        return [
          tracked('newer', 'dev', '2025-06-04T11:00:00Z'),
          tracked('older', 'dev', '2025-06-04T10:00:00Z'),
        ];
      },
    });
    const [dev] = (await state.getState(entity)).environments;
    expect(dev.promotion?.id).toBe('newer');
    expect(asked).toEqual(['component:default/api']);
  });

  it('reports a Git read that outlasts the request as a timeout, and the version once it is read', async () => {
    const store = new ApplicationStore(['backstage.io/kubernetes-id']);
    store.upsert('core', dev1('api-a', '1.0.0'));
    let finish: (version: string) => void = () => {};
    let cache: { version: string } | undefined;
    const reader: Partial<DesiredVersionReader> = {
      cached: () => cache,
      desiredVersion: () =>
        new Promise(resolve => {
          finish = version => {
            cache = { version };
            resolve(cache);
          };
        }),
    };
    const slow = service(store, reader, 20);

    const first = await slow.getState(entity);
    expect(first.environments[0].clusters[0].desiredVersion).toBeUndefined();
    expect(first.errors).toEqual([
      {
        source: expect.stringMatching(/^git:/),
        environment: 'dev',
        cluster: 'dev-1',
        kind: 'timeout',
        message: expect.stringMatching(
          /^No answer from \S+ within 20 ms; the desired version appears once the read completes$/,
        ),
      },
    ]);

    finish('1.1.0');
    const second = await slow.getState(entity);
    expect(second.environments[0].clusters[0].desiredVersion).toBe('1.1.0');
    expect(second.errors).toEqual([]);
  });

  it('with readGit: false takes desired versions from the caches only and starts no Git read', async () => {
    const store = new ApplicationStore(['backstage.io/kubernetes-id']);
    store.upsert('core', dev1('api-a', '1.0.0'));
    const desiredVersion = jest.fn(async () => ({ version: '9.9.9' }));
    const cache: { current?: { version: string } } = {};
    const reader: Partial<DesiredVersionReader> = {
      cached: () => cache.current,
      desiredVersion,
    };
    const overview = service(store, reader, 20);

    const cold = await overview.getState(entity, { readGit: false });
    expect(cold.environments[0].clusters[0]).toMatchObject({
      liveVersion: '1.0.0',
      desiredReason: 'not read from Git yet',
    });
    expect(cold.errors).toEqual([]);
    cache.current = { version: '1.1.0' };
    const warm = await overview.getState(entity, { readGit: false });
    expect(warm.environments[0].clusters[0].desiredVersion).toBe('1.1.0');
    expect(desiredVersion).not.toHaveBeenCalled();
  });

  describe('recent entities', () => {
    let now = 0;
    const named = (name: string): Entity => ({
      ...entity,
      metadata: {
        ...entity.metadata,
        name,
        annotations: { 'backstage.io/kubernetes-id': name },
      },
    });

    function recentService(maxEntries: number) {
      now = 1_000_000;
      return new GitopsStateService({
        config: {
          ...config,
          cache: {
            ...DEFAULT_CACHE_LIMITS,
            recentEntities: { maxEntries, ttlMs: 60 * 60_000 },
          },
        },
        store: new ApplicationStore(['backstage.io/kubernetes-id']),
        sources: [],
        versions: {} as DesiredVersionReader,
        logger: mockServices.logger.mock(),
        clock: () => now,
      });
    }
    const refs = (state: GitopsStateService, maxAgeMs = 60 * 60_000) =>
      state.recentEntities(maxAgeMs).map(r => r.entityRef);

    it('remembers at most maxEntries entities, forgetting the least recently viewed', async () => {
      const state = recentService(2);
      await state.getState(named('a'));
      await state.getState(named('b'));
      await state.getState(named('a'));
      await state.getState(named('c'));
      expect(refs(state).sort()).toEqual([
        'component:default/a',
        'component:default/c',
      ]);
      expect(state.cacheStats().recentEntities).toMatchObject({
        bound: 2,
        inserted: 3,
        evicted: 1,
      });
    });

    it('forgets an entity after the time to live, and lists only those within maxAgeMs', async () => {
      const state = recentService(10);
      await state.getState(named('a'));
      now += 10 * 60_000;
      await state.getState(named('b'));
      expect(refs(state, 5 * 60_000)).toEqual(['component:default/b']);
      now += 50 * 60_000 + 1;
      expect(refs(state)).toEqual(['component:default/b']);
      now += 10 * 60_000;
      expect(refs(state)).toEqual([]);
    });
  });
});
