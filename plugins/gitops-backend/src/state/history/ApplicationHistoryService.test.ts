import { Entity } from '@backstage/catalog-model';
import { fullApplication } from '../../__testUtils__/applications';
import { DEFAULT_CACHE_LIMITS } from '@backstage-gitops/plugin-gitops-node';
import { GitopsConfig } from '@backstage-gitops/plugin-gitops-node';
import { projectApplication } from '../../sources/projectApplication';
import { coreSource } from '../../__testUtils__/sources';
import { ApplicationStore } from '../../store/ApplicationStore';
import {
  ApplicationHistoryService,
  FAILED_READ_TTL_MS,
} from './ApplicationHistoryService';

const config = {
  topology: {
    environments: [{ name: 'dev', title: 'Development', clusters: ['dev-1'] }],
    clusters: [{ name: 'dev-1' }],
  },
  instances: [
    { name: 'core', type: 'kubernetes', url: 'https://core.example.com' },
  ],
  environmentLabel: 'gitops.backstage.io/environment',
  maxApplicationsPerEntity: 100,
  cache: DEFAULT_CACHE_LIMITS,
} as GitopsConfig;

function entity(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': name },
    },
    spec: {},
  };
}

function raw(service: string, resourceVersion = '1') {
  return fullApplication({
    name: `${service}-dev-1`,
    service,
    cluster: 'dev-1',
    environment: 'dev',
    version: '1.0.0',
    resourceVersion,
  });
}

describe('ApplicationHistoryService', () => {
  let now = 0;
  let store: ApplicationStore;
  let reads: string[];
  let fail: boolean;

  beforeEach(() => {
    now = 1_000_000;
    reads = [];
    fail = false;
    store = new ApplicationStore(['backstage.io/kubernetes-id']);
    for (const service of ['api', 'web']) {
      store.upsert('core', projectApplication(raw(service)));
    }
  });

  function history(limits = DEFAULT_CACHE_LIMITS.history) {
    const source = coreSource(async (_namespace, name) => {
      reads.push(name);
      if (fail) throw new Error('connection reset');
      return raw(name.replace(/-dev-1$/, ''));
    });
    return new ApplicationHistoryService({
      config,
      store,
      sources: [source],
      versions: { versionAt: async () => ({ version: '1.0.0' }) },
      limits,
      clock: () => now,
    });
  }

  it('reads an Application once for concurrent and later requests until it syncs', async () => {
    const service = history();
    const [first] = await Promise.all([
      service.getHistory(entity('api'), 'dev'),
      service.getHistory(entity('api'), 'dev'),
    ]);
    expect(first.entries).toHaveLength(10);
    await service.getHistory(entity('api'), 'dev');
    expect(reads).toEqual(['api-dev-1']);

    const synced = raw('api', '2');
    synced.status.history.push({
      ...synced.status.history[9],
      id: 11,
      deployedAt: '2024-05-10T10:00:00Z',
    });
    store.upsert('core', projectApplication(synced));
    await service.getHistory(entity('api'), 'dev');
    expect(reads).toEqual(['api-dev-1', 'api-dev-1']);
  });

  it('reads an Application again after the time to live', async () => {
    const service = history({ maxEntries: 10, ttlMs: 60_000 });
    await service.getHistory(entity('api'), 'dev');
    now += 59_999;
    await service.getHistory(entity('api'), 'dev');
    expect(reads).toHaveLength(1);
    now += 2;
    await service.getHistory(entity('api'), 'dev');
    expect(reads).toHaveLength(2);
    expect(service.cacheStats()).toMatchObject({ expired: 1, held: 1 });
  });

  it('holds at most maxEntries histories, forgetting the least recently read', async () => {
    const service = history({ maxEntries: 1, ttlMs: 60_000 });
    await service.getHistory(entity('api'), 'dev');
    await service.getHistory(entity('web'), 'dev');
    await service.getHistory(entity('web'), 'dev');
    await service.getHistory(entity('api'), 'dev');
    expect(reads).toEqual(['api-dev-1', 'web-dev-1', 'api-dev-1']);
    expect(service.cacheStats()).toMatchObject({
      bound: 1,
      inserted: 3,
      evicted: 2,
      held: 1,
    });
  });

  it('answers a failed read from the cache briefly, then reads again', async () => {
    const service = history();
    fail = true;
    const failed = await service.getHistory(entity('api'), 'dev');
    expect(failed.errors).toEqual([
      expect.objectContaining({
        kind: 'unreachable',
        message: 'Could not read the history of api-dev-1: connection reset',
      }),
    ]);
    // an outage is not asked again by every request
    now += FAILED_READ_TTL_MS - 1;
    expect((await service.getHistory(entity('api'), 'dev')).errors).toEqual(
      failed.errors,
    );
    expect(reads).toHaveLength(1);
    fail = false;
    now += 2;
    const read = await service.getHistory(entity('api'), 'dev');
    expect(read.errors).toEqual([]);
    expect(read.entries).toHaveLength(10);
    expect(reads).toHaveLength(2);
  });

  it('reads only the Application the state shows in a cell, not an ambiguous second one', async () => {
    const second = raw('api');
    second.metadata.name = 'api-dev-1-copy';
    store.upsert('core', projectApplication(second));
    await history().getHistory(entity('api'), 'dev');
    expect(reads).toEqual(['api-dev-1']);
  });

  it('has at most 8 upstream reads in flight, however many Applications are asked for', async () => {
    const wide = {
      ...config,
      topology: {
        environments: [
          {
            name: 'dev',
            title: 'Development',
            clusters: Array.from({ length: 30 }, (_, i) => `dev-${i + 1}`),
          },
        ],
        clusters: Array.from({ length: 30 }, (_, i) => ({
          name: `dev-${i + 1}`,
        })),
      },
    } as GitopsConfig;
    for (let i = 1; i <= 30; i++) {
      store.upsert(
        'core',
        projectApplication(
          fullApplication({
            name: `fleet-dev-${i}`,
            service: 'fleet',
            cluster: `dev-${i}`,
            environment: 'dev',
            version: '1.0.0',
          }),
        ),
      );
    }
    let inFlight = 0;
    let most = 0;
    const service = new ApplicationHistoryService({
      config: wide,
      store,
      sources: [
        coreSource(async (_namespace, name) => {
          most = Math.max(most, ++inFlight);
          await new Promise(resolve => setTimeout(resolve, 5));
          inFlight--;
          reads.push(name);
          return raw('fleet');
        }),
      ],
      versions: { versionAt: async () => ({ version: '1.0.0' }) },
      limits: DEFAULT_CACHE_LIMITS.history,
      clock: () => now,
    });
    const result = await service.getHistory(entity('fleet'), 'dev');
    expect(reads).toHaveLength(30);
    expect(result.errors).toEqual([]);
    expect(most).toBe(8);
  });
});
