import {
  application,
  component,
  overviewWorld,
} from './__testUtils__/overviewWorld';
import { QueryIndex } from './queryIndex';
import { readEntityQuery } from '../entities/entityQuery';

const rowOf = (world: ReturnType<typeof overviewWorld>, ref: string) =>
  [...world.index.rows()].find(r => r.entityRef === ref)!;

describe('OverviewIndex', () => {
  it('builds one row per entity from the state service, with owner and system', async () => {
    const world = overviewWorld([
      component('api', { system: 'storefront', title: 'API' }),
      component('web'),
    ]);
    world.store.upsert('core', application('api', 'dev-1', '1.2.0'));
    world.store.upsert('core', application('api', 'prod-1', '1.1.0'));
    await world.index.start();
    world.index.stop();

    expect(world.index.size()).toBe(2);
    const api = rowOf(world, 'component:default/api').row;
    expect(api).toMatchObject({
      title: 'API',
      owner: 'group:default/payments',
      system: 'system:default/storefront',
    });
    expect(api.environments.map(e => [e.name, e.version])).toEqual([
      ['dev', '1.2.0'],
      ['prod', '1.1.0'],
    ]);
    // web has no Application: a row without environments, not a missing row
    expect(rowOf(world, 'component:default/web').row.environments).toEqual([]);
    // the overview reads every entity: none of them becomes "recent" (signals)
    expect(world.getState).toHaveBeenCalledWith(expect.anything(), {
      remember: false,
      readGit: false,
    });
  });

  it('reads the entities again within seconds while the catalog has none (still ingesting at start)', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const world = overviewWorld([component('api')]);
      const [api] = world.claimants.splice(0);
      await world.index.start();
      expect(world.index.size()).toBe(0);

      world.claimants.push(api);
      await jest.advanceTimersByTimeAsync(5_000);
      await world.index.settled();
      world.index.stop();
      expect(world.index.size()).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('recomputes only the rows of the entities a changed Application belongs to', async () => {
    const world = overviewWorld([component('api'), component('web')]);
    world.store.upsert('core', application('api', 'prod-1', '1.1.0'));
    world.store.upsert('core', application('web', 'prod-1', '3.0.0'));
    await world.index.start();
    world.getState.mockClear();

    world.store.upsert(
      'core',
      application('api', 'prod-1', '1.2.0', { resourceVersion: '2' }),
    );
    world.store.upsert(
      'core',
      application('api', 'prod-1', '1.3.0', { resourceVersion: '3' }),
    );
    await world.index.settled();
    world.index.stop();

    // two changes within the debounce: one recomputation, of api only
    expect(world.getState).toHaveBeenCalledTimes(1);
    expect(world.getState.mock.calls[0][0].metadata.name).toBe('api');
    expect(
      rowOf(world, 'component:default/api').row.environments[0].version,
    ).toBe('1.3.0');
  });

  it('dates drift from the earliest ongoing drift episode of the environment', async () => {
    const world = overviewWorld([component('api')]);
    world.store.upsert('core', application('api', 'prod-1', '1.1.0'));
    await world.index.start();
    const driftStart = Date.parse('2026-01-01T10:05:00Z');
    world.setNow(driftStart);
    world.store.upsert(
      'core',
      application('api', 'prod-1', '1.1.0', {
        sync: 'OutOfSync',
        resourceVersion: '2',
      }),
    );
    world.setNow(driftStart + 60_000);
    await world.index.settled();
    world.index.stop();

    const prod = rowOf(world, 'component:default/api').row.environments[0];
    expect(prod).toMatchObject({
      name: 'prod',
      sync: 'OutOfSync',
      driftedSince: new Date(driftStart).toISOString(),
    });
    expect(prod.driftedResources).toBeGreaterThan(0);
  });

  it('marks a service ready when the source runs Synced and Healthy at a version the target does not run', async () => {
    const world = overviewWorld([component('api')]);
    world.store.upsert('core', application('api', 'dev-1', '1.2.0'));
    world.store.upsert('core', application('api', 'prod-1', '1.1.0'));
    await world.index.start();
    world.index.stop();

    expect(rowOf(world, 'component:default/api').row.ready).toEqual([
      {
        from: 'dev',
        to: 'prod',
        version: '1.2.0',
        passed: true,
        gates: [
          expect.objectContaining({
            gate: 'source-synced-healthy',
            passed: true,
          }),
        ],
      },
    ]);
  });

  it('drops the rows of entities the catalog no longer has', async () => {
    const world = overviewWorld([component('api'), component('web')]);
    await world.index.start();
    world.claimants.splice(1, 1);
    await world.index.refresh();
    world.index.stop();
    expect([...world.index.rows()].map(r => r.entityRef)).toEqual([
      'component:default/api',
    ]);
  });
});

describe('QueryIndex', () => {
  it('finds the entities of an Application by its name and label values, not by scanning', () => {
    const queries = new QueryIndex();
    const query = (annotations: Record<string, string>) =>
      readEntityQuery(
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'x', annotations },
        },
        ['core'],
      ).query!;
    queries.set(
      'component:default/api',
      query({ 'argocd/app-selector': 'app.kubernetes.io/name=api,tier=web' }),
    );
    queries.set(
      'component:default/named',
      query({ 'argocd/app-name': 'api-prod-1' }),
    );
    queries.set(
      'component:default/other',
      query({ 'backstage.io/kubernetes-id': 'other' }),
    );
    const app = application('api', 'prod-1', '1.0.0');
    expect(queries.matching('core', app).sort()).toEqual([
      'component:default/named',
    ]);
    app.metadata.labels.tier = 'web';
    expect(queries.matching('core', app).sort()).toEqual([
      'component:default/api',
      'component:default/named',
    ]);
    queries.delete('component:default/named');
    expect(queries.matching('core', app)).toEqual(['component:default/api']);
  });
});
