import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  gitopsCatalogConditions,
  OverviewPage,
} from '@backstage-gitops/plugin-gitops-common';
import { createReleaseOwnerRule } from '@backstage-gitops/plugin-gitops-node';
import request from 'supertest';
import {
  application,
  component,
  config,
  overviewWorld,
} from '../overview/__testUtils__/overviewWorld';
import { OverviewAccess } from '../overview/OverviewAccess';
import { createOverviewRouter } from './overviewRouter';

const conditional = (conditions: any): PolicyDecision => ({
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions,
});
const isEntityOwner = {
  rule: 'IS_ENTITY_OWNER',
  resourceType: 'catalog-entity',
  params: { claims: ['group:default/payments'] },
};

describe('createOverviewRouter', () => {
  const permissions = mockServices.permissions.mock();

  async function start(
    decision: PolicyDecision = { result: AuthorizeResult.ALLOW },
  ) {
    permissions.authorizeConditional.mockReset();
    permissions.authorize.mockReset();
    permissions.authorizeConditional.mockImplementation(async queries =>
      queries.map(() => decision as any),
    );
    // the fallback: what the catalog would answer for IS_ENTITY_OWNER of group payments
    permissions.authorize.mockImplementation(async requests =>
      requests.map(r => ({
        result: ['component:default/api', 'component:default/web'].includes(
          (r as any).resourceRef,
        )
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      })),
    );
    const world = overviewWorld([
      component('api', { system: 'storefront' }),
      component('web', { system: 'storefront' }),
      component('ledger', { owner: 'group:default/finance' }),
    ]);
    world.store.upsert('core', application('api', 'dev-1', '1.2.0'));
    world.store.upsert('core', application('api', 'prod-1', '1.1.0'));
    world.store.upsert('core', application('web', 'dev-1', '3.0.0'));
    world.store.upsert(
      'core',
      application('web', 'prod-1', '3.0.0', { sync: 'OutOfSync' }),
    );
    world.setNow(Date.parse('2026-01-01T11:00:00Z'));
    world.store.upsert(
      'core',
      application('ledger', 'prod-1', '7.0.0', {
        sync: 'OutOfSync',
        health: 'Degraded',
      }),
    );
    await world.index.start();
    world.index.stop();
    const plugin = createBackendPlugin({
      pluginId: 'gitops',
      register(env) {
        env.registerInit({
          deps: {
            httpRouter: coreServices.httpRouter,
            httpAuth: coreServices.httpAuth,
            permissions: coreServices.permissions,
          },
          async init({ httpRouter, httpAuth, permissions: p }) {
            httpRouter.use(
              createOverviewRouter({
                index: world.index,
                access: new OverviewAccess({
                  permissions: p,
                  rules: [createReleaseOwnerRule(['group:default/release'])],
                }),
                httpAuth,
                userInfo: mockServices.userInfo({
                  userEntityRef: 'user:default/mock',
                  ownershipEntityRefs: [
                    'user:default/mock',
                    'group:default/finance',
                  ],
                }),
                environments: config.topology.environments.map(e => ({
                  name: e.name,
                  title: e.title,
                })),
                promotionConfig: config.promotion,
                promotionUnavailable: undefined,
              }),
            );
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [plugin, permissions.factory],
    });
    return server;
  }

  const refs = (body: OverviewPage) => body.items.map(i => i.entityRef);

  it('answers 400 naming the bad parameter and its allowed values', async () => {
    const server = await start();
    const sort = await request(server).get('/api/gitops/v1/overview?sort=size');
    expect(sort.status).toBe(400);
    expect(sort.body.error.message).toContain(
      'Query parameter sort is invalid',
    );
    expect(sort.body.error.message).toContain(
      'name, drifted-longest, lag, updated',
    );
    const env = await request(server).get(
      '/api/gitops/v1/overview?environment=qa',
    );
    expect(env.status).toBe(400);
    expect(env.body.error.message).toContain(
      'one of the configured environments: dev, prod',
    );
    const limit = await request(server).get(
      '/api/gitops/v1/overview?limit=501',
    );
    expect(limit.status).toBe(400);
    expect(limit.body.error.message).toContain('from 1 to 500');
    const unknown = await request(server).get('/api/gitops/v1/overview?size=1');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain(
      'Unknown query parameter size',
    );
  });

  it('serves every row sorted by name with the configured environments', async () => {
    const server = await start();
    const res = await request(server).get('/api/gitops/v1/overview');
    expect(res.status).toBe(200);
    expect(refs(res.body)).toEqual([
      'component:default/api',
      'component:default/ledger',
      'component:default/web',
    ]);
    expect(res.body.totalItems).toBe(3);
    expect(res.body.nextCursor).toBeUndefined();
    expect(res.body.environments).toEqual([
      { name: 'dev', title: 'Development' },
      { name: 'prod', title: 'Production' },
    ]);
    const api = res.body.items[0];
    expect(api.canPromote).toBe(true);
    expect(api.ready[0].gates.map((g: any) => g.gate)).toEqual([
      'permission',
      'source-synced-healthy',
      'freeze-window',
    ]);
    expect(api.ready[0].passed).toBe(true);
  });

  it('combines filters with AND', async () => {
    const server = await start();
    const get = async (query: string) =>
      refs(
        (await request(server).get(`/api/gitops/v1/overview?${query}`)).body,
      );
    expect(await get('drifted=true&environment=prod')).toEqual([
      'component:default/ledger',
      'component:default/web',
    ]);
    expect(await get('drifted=true&system=system:default/storefront')).toEqual([
      'component:default/web',
    ]);
    expect(await get('failing=true')).toEqual(['component:default/ledger']);
    expect(await get('ready=true&environment=prod')).toEqual([
      'component:default/api',
    ]);
    expect(await get('ready=true&environment=dev')).toEqual([]);
    expect(
      await get(
        'owner=group:default/payments&owner=group:default/finance&q=LED',
      ),
    ).toEqual(['component:default/ledger']);
    expect(await get('ownedByMe=true')).toEqual(['component:default/ledger']);
  });

  it('sorts by drift age and pages with an opaque cursor', async () => {
    const server = await start();
    const drifted = await request(server).get(
      '/api/gitops/v1/overview?sort=drifted-longest',
    );
    // web drifted first (10:00), ledger an hour later, api not at all
    expect(refs(drifted.body)).toEqual([
      'component:default/web',
      'component:default/ledger',
      'component:default/api',
    ]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await request(server).get(
        `/api/gitops/v1/overview?sort=drifted-longest&limit=1${
          cursor ? `&cursor=${cursor}` : ''
        }`,
      );
      expect(page.body.items).toHaveLength(1);
      expect(page.body.totalItems).toBe(3);
      seen.push(...refs(page.body));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(refs(drifted.body));
    const wrongSort = await request(server).get(
      `/api/gitops/v1/overview?sort=name&cursor=${
        (
          await request(server).get('/api/gitops/v1/overview?sort=lag&limit=1')
        ).body.nextCursor
      }`,
    );
    expect(wrongSort.status).toBe(400);
  });

  it('decides both permissions with one conditional call, known rules in memory', async () => {
    const server = await start(
      conditional(
        gitopsCatalogConditions.isReleaseOwner({
          claims: ['user:default/mock'],
        }),
      ),
    );
    const res = await request(server).get('/api/gitops/v1/overview');
    expect(res.body.items).toEqual([]);
    expect(res.body.totalItems).toBe(0);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    expect(permissions.authorize).not.toHaveBeenCalled();

    const releaseOwner = await start(
      conditional(
        gitopsCatalogConditions.isReleaseOwner({
          claims: ['user:default/mock', 'group:default/release'],
        }),
      ),
    );
    const all = await request(releaseOwner).get('/api/gitops/v1/overview');
    expect(all.body.totalItems).toBe(3);
    expect(all.body.items.every((i: any) => i.canPromote)).toBe(true);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('falls back to one batched authorize for rules it does not know, and reuses it while paging', async () => {
    const server = await start(conditional({ anyOf: [isEntityOwner] }));
    const first = await request(server).get('/api/gitops/v1/overview?limit=1');
    expect(refs(first.body)).toEqual(['component:default/api']);
    expect(first.body.totalItems).toBe(2);
    expect(first.body.items[0].canPromote).toBe(true);
    const second = await request(server).get(
      `/api/gitops/v1/overview?limit=1&cursor=${first.body.nextCursor}`,
    );
    expect(refs(second.body)).toEqual(['component:default/web']);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
    // read and promote for each of the 3 candidates, in one call
    expect(permissions.authorize.mock.calls[0][0]).toHaveLength(6);
  });

  it('answers an empty page saying why when the caller may read nothing', async () => {
    const server = await start({ result: AuthorizeResult.DENY });
    const res = await request(server).get('/api/gitops/v1/overview');
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        source: 'permission',
        message: expect.stringContaining('gitops.entity.read'),
      }),
    ]);
    expect(permissions.authorize).not.toHaveBeenCalled();
  });
});
