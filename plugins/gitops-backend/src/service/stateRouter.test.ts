import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import { fullApplication } from '../__testUtils__/applications';
import { testGitopsConfig } from '../__testUtils__/gitopsConfig';
import { DesiredVersionReader } from '../git/DesiredVersionReader';
import { projectApplication } from '../sources/projectApplication';
import { coreSource } from '../__testUtils__/sources';
import { GitopsStateService } from '../state/GitopsStateService';
import { ApplicationStore } from '../store/ApplicationStore';
import { createStateRouter } from './stateRouter';

const config = testGitopsConfig({
  topology: {
    environments: [
      { name: 'dev', title: 'Development', clusters: ['dev-1'] },
      { name: 'prod', title: 'Production', clusters: ['prod-1'] },
    ],
    clusters: [{ name: 'dev-1' }, { name: 'prod-1' }],
  },
  instances: [
    {
      name: 'core',
      type: 'kubernetes',
      url: 'https://core.example.com',
      timeoutMs: 10_000,
    },
  ],
});

const application = fullApplication({
  name: 'api-prod-1',
  service: 'api',
  cluster: 'prod-1',
  version: '1.0.0',
  repoURL: 'https://github.com/acme/gitops.git',
});

function stateService() {
  const store = new ApplicationStore(['backstage.io/kubernetes-id']);
  store.upsert('core', projectApplication(application));
  const source = coreSource(async () => application);
  const versions = {
    cached: () => ({}),
    desiredVersion: async () => ({}),
    versionAt: async () => ({}),
  } as unknown as DesiredVersionReader;
  return new GitopsStateService({
    config,
    store,
    sources: [source],
    versions,
    logger: mockServices.logger.mock(),
  });
}

const component = (name: string, annotations?: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {},
});

describe('createStateRouter', () => {
  const permissions = mockServices.permissions.mock();

  async function start(
    options: {
      signedIn?: boolean;
      promotionUnavailable?: string;
      readiness?: Parameters<typeof createStateRouter>[0]['readiness'];
    } = {},
  ) {
    permissions.authorize.mockReset();
    permissions.authorize.mockImplementation(async requests =>
      requests.map(() => ({ result: AuthorizeResult.ALLOW })),
    );
    const plugin = createBackendPlugin({
      pluginId: 'gitops',
      register(env) {
        env.registerInit({
          deps: {
            httpRouter: coreServices.httpRouter,
            httpAuth: coreServices.httpAuth,
            permissions: coreServices.permissions,
            catalog: catalogServiceRef,
          },
          async init({ httpRouter, httpAuth, permissions: p, catalog }) {
            httpRouter.use(
              createStateRouter({
                state: stateService(),
                promotionUnavailable: options.promotionUnavailable,
                readiness: options.readiness,
                catalog,
                permissions: p,
                httpAuth,
              }),
            );
          },
        });
      },
    });
    const { server } = await startTestBackend({
      features: [
        plugin,
        permissions.factory,
        catalogServiceMock.factory({
          entities: [
            component('api', { 'backstage.io/kubernetes-id': 'api' }),
            component('plain'),
            component('both', {
              'argocd/app-name': 'api-prod-1',
              'argocd/app-selector': 'backstage.io/kubernetes-id=api',
            }),
          ],
        }),
        ...(options.signedIn === false
          ? [
              mockServices.httpAuth.factory({
                defaultCredentials: mockCredentials.none(),
              }),
            ]
          : []),
      ],
    });
    return server;
  }

  const history = (name: string, query = '?environment=prod') =>
    `/api/gitops/v1/history/component/default/${name}${query}`;

  it('serves readiness on its own route, from the caches, and keeps it out of the state', async () => {
    const readiness = jest.fn(async () => [
      {
        environment: 'prod',
        checks: [],
        reason: 'being read',
        counts: { pass: 0, fail: 0, unknown: 0 },
      },
    ]);
    const server = await start({ readiness: { readiness } });

    const response = await request(server).get(
      '/api/gitops/v1/readiness/component/default/api',
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      entityRef: 'component:default/api',
      environments: [expect.objectContaining({ environment: 'prod' })],
    });
    expect(readiness).toHaveBeenCalledWith(
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'api' }),
      }),
      expect.objectContaining({ entityRef: 'component:default/api' }),
      { waitMs: 0 },
    );

    const state = await request(server).get(
      '/api/gitops/v1/state/component/default/api',
    );
    expect(state.body.readiness).toBeUndefined();
    expect(readiness).toHaveBeenCalledTimes(1);
    expect(
      (
        await request(server).get(
          '/api/gitops/v1/readiness/component/default/nope',
        )
      ).status,
    ).toBe(404);
  });

  it('serves the history of an environment', async () => {
    const server = await start();
    const response = await request(server).get(history('api'));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      entityRef: 'component:default/api',
      environment: 'prod',
      status: 'ok',
      errors: [],
    });
    expect(response.body.entries).toHaveLength(10);
    expect(response.body.entries[0]).toMatchObject({
      cluster: 'prod-1',
      application: { instance: 'core', name: 'api-prod-1' },
    });
  });

  it('answers 404 for an entity the catalog does not have, before looking at the query', async () => {
    const server = await start();
    for (const query of ['?environment=prod', '?environment=qa', '']) {
      const response = await request(server).get(history('nope', query));
      expect(response.status).toBe(404);
      expect(response.body.error).toMatchObject({
        name: 'NotFoundError',
        message: 'No entity component:default/nope in the catalog',
      });
    }
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('answers 400 for an unknown or missing environment, listing the configured ones', async () => {
    const server = await start();
    const unknown = await request(server).get(
      history('api', '?environment=qa'),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({
      name: 'InputError',
      message: 'Unknown environment qa; configured environments are dev, prod',
    });
    const missing = await request(server).get(history('api', ''));
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(
      /Query parameter environment is required/,
    );
  });

  it('answers not-configured for an entity without GitOps annotations', async () => {
    const server = await start();
    const response = await request(server).get(history('plain'));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      entityRef: 'component:default/plain',
      environment: 'prod',
      status: 'not-configured',
      entries: [],
      errors: [],
    });
    const state = await request(server).get(
      '/api/gitops/v1/state/component/default/plain',
    );
    expect(state.body.status).toBe('not-configured');
  });

  it('answers an entity with both argocd/app-name and argocd/app-selector with an error saying to keep one', async () => {
    const server = await start();
    const response = await request(server).get(
      '/api/gitops/v1/state/component/default/both',
    );
    expect(response.status).toBe(200);
    // no Application is placed, though app-name and the selector each match api-prod-1
    expect(
      response.body.environments
        .flatMap((e: any) => e.clusters)
        .filter((c: any) => c.application),
    ).toEqual([]);
    expect(response.body.errors).toEqual([
      {
        source: 'annotation:argocd/app-selector',
        kind: 'config',
        message: expect.stringContaining(
          'Both argocd/app-name and argocd/app-selector are set on component:default/both; keep one of the two',
        ),
      },
    ]);
  });

  it('answers every state with why promotion is unavailable, when it is', async () => {
    const available = await start();
    const plain = await request(available).get(
      '/api/gitops/v1/state/component/default/api',
    );
    expect(plain.body).not.toHaveProperty('promotionUnavailable');

    const unavailable = await start({
      promotionUnavailable: 'Promotion is off',
    });
    const response = await request(unavailable).get(
      '/api/gitops/v1/state/component/default/api',
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      entityRef: 'component:default/api',
      status: 'ok',
      promotionUnavailable: 'Promotion is off',
    });
  });

  it('answers 403 without gitops.entity.read', async () => {
    const server = await start();
    permissions.authorize.mockImplementation(async requests =>
      requests.map(() => ({ result: AuthorizeResult.DENY })),
    );
    const response = await request(server).get(history('api'));
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(
      /may not read the deployment state of component:default\/api \(permission gitops.entity.read\)/,
    );
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        expect.objectContaining({
          permission: expect.objectContaining({ name: 'gitops.entity.read' }),
          resourceRef: 'component:default/api',
        }),
      ],
      expect.anything(),
    );
  });

  it('answers 401 without credentials', async () => {
    const server = await start({ signedIn: false });
    const response = await request(server).get(history('api'));
    expect(response.status).toBe(401);
    const state = await request(server).get(
      '/api/gitops/v1/state/component/default/api',
    );
    expect(state.status).toBe(401);
  });
});
