import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigSources, FileConfigSource } from '@backstage/config-loader';
import authPlugin from '@backstage/plugin-auth-backend';
import path from 'node:path';
import request from 'supertest';
import guestSignIn from './guestSignIn';

const repoRoot = path.resolve(__dirname, '../../../..');

/**
 * The repository's config files merged as the backend merges them (later files win key by key;
 * environment variables left unset).
 */
async function loadPortalConfig(files: string[]) {
  const config = await ConfigSources.toConfig(
    ConfigSources.merge(
      files.map(file =>
        FileConfigSource.create({
          path: path.join(repoRoot, file),
          substitutionFunc: async () => undefined,
        }),
      ),
    ),
  );
  config.close();
  return config;
}

/** The auth plugin with the backend's guest sign-in loader, under the given config files. */
async function startAuth(files: string[]) {
  const config = await loadPortalConfig(files);
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      guestSignIn,
      mockServices.rootConfig.factory({
        data: {
          ...(config.get() as object),
          // the test backend listens on a port of its own
          app: { baseUrl: 'http://localhost:3000' },
          backend: { baseUrl: 'http://localhost:7007' },
        },
      }),
    ],
  });
  return server;
}

describe('guest sign-in', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('is offered in development (app-config.yaml + app-config.development.yaml)', async () => {
    // as under `backstage-cli repo start`
    process.env.NODE_ENV = 'development';
    const server = await startAuth([
      'app-config.yaml',
      'app-config.development.yaml',
    ]);

    const res = await request(server).get('/api/auth/guest/refresh');

    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity).toMatchObject({
      token: expect.any(String),
      identity: { userEntityRef: 'user:default/guest' },
    });
  });

  it('is refused in production (app-config.yaml + app-config.production.yaml)', async () => {
    // even where NODE_ENV would let the guest provider sign in
    process.env.NODE_ENV = 'development';
    const server = await startAuth([
      'app-config.yaml',
      'app-config.production.yaml',
    ]);

    const refresh = await request(server).get('/api/auth/guest/refresh');
    const start = await request(server).get('/api/auth/guest/start');

    expect(refresh.status).toBe(404);
    expect(refresh.body.error.message).toMatch(/Unknown auth provider 'guest'/);
    expect(start.status).toBe(404);
  });

  it('is refused when a production deployment is given the development file too', async () => {
    process.env.NODE_ENV = 'development';
    const server = await startAuth([
      'app-config.yaml',
      'app-config.development.yaml',
      'app-config.production.yaml',
    ]);

    const res = await request(server).get('/api/auth/guest/refresh');

    expect(res.status).toBe(404);
    expect(res.body.backstageIdentity).toBeUndefined();
  });
});
