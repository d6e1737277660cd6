import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { ControlPlaneHealth } from '@backstage-gitops/plugin-gitops-common';
import request from 'supertest';
import { createRouter } from './router';
import { createControlPlaneRouter } from './controlPlaneRouter';

const health: ControlPlaneHealth = {
  instances: [],
  outOfSyncThresholdMinutes: 30,
  watchingSince: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:05:00.000Z',
};

describe('createControlPlaneRouter', () => {
  async function start(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
    const permissions = mockServices.permissions.mock();
    permissions.authorize.mockImplementation(async requests =>
      requests.map(() => ({ result })),
    );
    const plugin = createBackendPlugin({
      pluginId: 'gitops',
      register(env) {
        env.registerInit({
          deps: {
            httpRouter: coreServices.httpRouter,
            httpAuth: coreServices.httpAuth,
            logger: coreServices.logger,
          },
          async init({ httpRouter, httpAuth, logger }) {
            httpRouter.use(
              await createRouter({
                logger,
                routers: [
                  createControlPlaneRouter({
                    health: () => health,
                    permissions,
                    httpAuth,
                  }),
                ],
              }),
            );
          },
        });
      },
    });
    const { server } = await startTestBackend({ features: [plugin] });
    return { server, permissions };
  }

  it('serves the health to a caller granted gitops.controlplane.read', async () => {
    const { server, permissions } = await start(AuthorizeResult.ALLOW);
    const response = await request(server).get('/api/gitops/v1/control-plane');
    expect(response.status).toBe(200);
    expect(response.body).toEqual(health);
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: expect.objectContaining({
            name: 'gitops.controlplane.read',
          }),
        },
      ],
      expect.anything(),
    );
  });

  it('answers 403 with the permission to ask for otherwise', async () => {
    const { server } = await start(AuthorizeResult.DENY);
    const response = await request(server).get('/api/gitops/v1/control-plane');
    expect(response.status).toBe(403);
    expect(response.body.error.message).toMatch(
      /may not read the control-plane health .*permission gitops\.controlplane\.read/,
    );
  });
});
