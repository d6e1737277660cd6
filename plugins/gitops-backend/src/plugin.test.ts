import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { EntityGitopsState } from '@backstage-gitops/plugin-gitops-common';
import request from 'supertest';
import { fullApplication } from './__testUtils__/applications';
import {
  fakeArgoCd,
  fakeGithub,
  startFakeServer,
} from './__testUtils__/fakeServers';
import { gitopsPlugin } from './plugin';

describe('gitopsPlugin', () => {
  it('serves an unauthenticated health route, and only that one', async () => {
    const { server } = await startTestBackend({
      features: [
        gitopsPlugin,
        // requests carry no credentials at all, as a load balancer's probe does
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });

    const response = await request(server).get('/api/gitops/health');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });

    const state = await request(server).get(
      '/api/gitops/v1/state/component/default/checkout-api',
    );
    expect(state.status).toBe(401);
  });

  describe('state and history routes', () => {
    let github: Awaited<ReturnType<typeof startFakeServer>>;
    let argocd: Awaited<ReturnType<typeof startFakeServer>>;
    const permissions = mockServices.permissions.mock();

    beforeAll(async () => {
      github = await startFakeServer(
        fakeGithub({
          'acme/payments-gitops/apps/checkout-api/envs/staging/values.yaml':
            'image:\n  tag: 1.5.0\n',
          'acme/payments-gitops/apps/checkout-api/envs/prod/values.yaml':
            'image:\n  repository: ghcr.io/acme/checkout-api\n  tag: 1.5.0\n',
        }),
      );
      const repoURL = `${github.url}/acme/payments-gitops.git`;
      argocd = await startFakeServer(
        fakeArgoCd({
          token: 'edge-token',
          apps: [
            fullApplication({
              name: 'checkout-api-staging-1',
              service: 'checkout-api',
              cluster: 'staging-1',
              environment: 'staging',
              version: '1.5.0',
              repoURL,
            }),
            fullApplication({
              name: 'checkout-api-prod-eu-1',
              service: 'checkout-api',
              cluster: 'prod-eu-1',
              environment: 'prod',
              version: '1.4.2',
              sync: 'OutOfSync',
              repoURL,
            }),
          ],
        }),
      );
    });

    afterAll(async () => {
      await github.close();
      await argocd.close();
    });

    async function start() {
      permissions.authorize.mockImplementation(async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      );
      const { server } = await startTestBackend({
        features: [
          gitopsPlugin,
          permissions.factory,
          catalogServiceMock.factory({
            entities: [
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: {
                  name: 'checkout-api',
                  namespace: 'default',
                  annotations: { 'backstage.io/kubernetes-id': 'checkout-api' },
                },
                spec: {},
              },
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: { name: 'plain', namespace: 'default' },
                spec: {},
              },
              {
                apiVersion: 'backstage.io/v1alpha1',
                kind: 'Component',
                metadata: {
                  name: 'elsewhere',
                  namespace: 'default',
                  annotations: {
                    'argocd/app-name': 'x',
                    'argocd/instance-name': 'https://evil.example.com',
                  },
                },
                spec: {},
              },
            ],
          }),
          mockServices.rootConfig.factory({
            data: {
              integrations: {
                github: [
                  {
                    host: new URL(github.url).host,
                    apiBaseUrl: `${github.url}/api/v3`,
                    token: 'gh-token',
                  },
                ],
              },
              gitops: {
                environments: [
                  { name: 'dev', title: 'Development', clusters: ['dev-1'] },
                  {
                    name: 'staging',
                    title: 'Staging',
                    clusters: ['staging-1'],
                  },
                  {
                    name: 'prod',
                    title: 'Production',
                    clusters: ['prod-eu-1'],
                  },
                ],
                clusters: [
                  { name: 'dev-1' },
                  { name: 'staging-1' },
                  { name: 'prod-eu-1' },
                ],
                instances: [
                  {
                    name: 'edge',
                    type: 'argocd',
                    url: argocd.url,
                    token: 'edge-token',
                    uiUrl: 'https://argocd.example.com',
                  },
                  {
                    name: 'core',
                    type: 'kubernetes',
                    url: 'https://127.0.0.1:1',
                    token: 't',
                    timeout: { milliseconds: 500 },
                    clusters: ['dev-1'],
                  },
                ],
              },
            },
          }),
        ],
      });
      return server;
    }

    async function stateOf(
      server: any,
      name: string,
    ): Promise<request.Response> {
      for (let i = 0; i < 50; i++) {
        const response = await request(server).get(
          `/api/gitops/v1/state/component/default/${name}`,
        );
        const body = response.body as EntityGitopsState;
        const loaded = body.environments?.some(e =>
          e.clusters.some(c => c.application),
        );
        if (
          response.status !== 200 ||
          body.status !== 'ok' ||
          (loaded && body.errors.length)
        ) {
          return response;
        }
        await new Promise(r => setTimeout(r, 100));
      }
      return request(server).get(
        `/api/gitops/v1/state/component/default/${name}`,
      );
    }

    it('returns per environment and cluster state, with the failing instance listed', async () => {
      const server = await start();
      const response = await stateOf(server, 'checkout-api');
      expect(response.status).toBe(200);
      const body = response.body as EntityGitopsState;
      expect(body.environments.map(e => e.name)).toEqual([
        'dev',
        'staging',
        'prod',
      ]);
      const [dev, staging, prod] = body.environments;
      expect(staging.clusters[0]).toMatchObject({
        cluster: 'staging-1',
        liveVersion: '1.5.0',
        desiredVersion: '1.5.0',
        skew: false,
        application: {
          instance: 'edge',
          url: 'https://argocd.example.com/applications/argocd/checkout-api-staging-1',
        },
        revisionUrl: `${github.url}/acme/payments-gitops/commit/${'a'.repeat(
          40,
        )}`,
      });
      expect(prod.clusters[0]).toMatchObject({
        liveVersion: '1.4.2',
        desiredVersion: '1.5.0',
        skew: true,
        sync: 'OutOfSync',
      });
      expect(prod.lag).toMatchObject({
        previousEnvironment: 'staging',
        behind: true,
      });
      expect(dev.clusters[0].application).toBeUndefined();
      expect(dev.clusters[0].error).toMatchObject({
        instance: 'core',
        kind: 'unreachable',
      });
      expect(body.errors).toEqual([
        expect.objectContaining({
          source: 'instance:core',
          kind: 'unreachable',
        }),
      ]);
    });

    it('answers 404 for an unknown entity and not-configured without annotations', async () => {
      const server = await start();
      const missing = await request(server).get(
        '/api/gitops/v1/state/component/default/nope',
      );
      expect(missing.status).toBe(404);
      const plain = await request(server).get(
        '/api/gitops/v1/state/component/default/plain',
      );
      expect(plain.status).toBe(200);
      expect(plain.body).toMatchObject({
        status: 'not-configured',
        environments: [],
      });
    });

    it('reports an annotation naming an unconfigured instance instead of calling it', async () => {
      const server = await start();
      const response = await request(server).get(
        '/api/gitops/v1/state/component/default/elsewhere',
      );
      expect(response.status).toBe(200);
      expect(response.body.errors[0]).toMatchObject({
        kind: 'config',
        source: 'annotation:argocd/instance-name',
      });
    });

    it('denies reading without gitops.entity.read', async () => {
      const server = await start();
      permissions.authorize.mockImplementation(async requests =>
        requests.map(() => ({ result: AuthorizeResult.DENY })),
      );
      const response = await request(server).get(
        '/api/gitops/v1/state/component/default/checkout-api',
      );
      expect(response.status).toBe(403);
      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          expect.objectContaining({
            permission: expect.objectContaining({ name: 'gitops.entity.read' }),
            resourceRef: 'component:default/checkout-api',
          }),
        ],
        expect.anything(),
      );
      const history = await request(server).get(
        '/api/gitops/v1/history/component/default/checkout-api?environment=prod',
      );
      expect(history.status).toBe(403);
    });

    it('serves history with compare links and rejects unknown environments', async () => {
      const server = await start();
      await stateOf(server, 'checkout-api');
      const bad = await request(server).get(
        '/api/gitops/v1/history/component/default/checkout-api?environment=qa',
      );
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/Unknown environment qa/);
      const response = await request(server).get(
        '/api/gitops/v1/history/component/default/checkout-api?environment=prod',
      );
      expect(response.status).toBe(200);
      expect(response.body.entries.length).toBe(10);
      const withCompare = response.body.entries.find((e: any) => e.compareUrl);
      expect(withCompare.compareUrl).toMatch(
        new RegExp(
          `^${github.url}/acme/payments-gitops/compare/\\w{40}\\.\\.\\.\\w{40}$`,
        ),
      );
    });
  });
});
