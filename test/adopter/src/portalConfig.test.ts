import { adopterPortalConfig } from './portalConfig';

const appConfig = {
  app: { title: 'not copied' },
  integrations: { github: [{ host: 'localhost:7480' }] },
  gitops: { environments: [{ name: 'dev' }] },
  catalog: {
    rules: [{ allow: ['Component'] }],
    locations: [
      { type: 'file', target: '../../examples/entities.yaml' },
      { type: 'url', target: 'https://example.com/all.yaml' },
    ],
  },
};
const developmentConfig = {
  auth: { providers: { guest: { userEntityRef: 'user:default/guest' } } },
};

describe('adopterPortalConfig', () => {
  it('copies the suite, the integration, guest sign-in and the catalog with absolute files', () => {
    expect(
      adopterPortalConfig({ repoRoot: '/repo', appConfig, developmentConfig }),
    ).toEqual({
      integrations: appConfig.integrations,
      gitops: appConfig.gitops,
      catalog: {
        rules: [{ allow: ['Component'] }],
        locations: [
          { type: 'file', target: '/repo/examples/entities.yaml' },
          { type: 'url', target: 'https://example.com/all.yaml' },
        ],
      },
      auth: developmentConfig.auth,
    });
  });

  it('says which key is missing', () => {
    expect(() =>
      adopterPortalConfig({
        repoRoot: '/repo',
        appConfig: { ...appConfig, gitops: undefined },
        developmentConfig,
      }),
    ).toThrow('app-config.yaml has no "gitops"');
    expect(() =>
      adopterPortalConfig({
        repoRoot: '/repo',
        appConfig,
        developmentConfig: {},
      }),
    ).toThrow('app-config.development.yaml has no auth.providers.guest');
  });
});
