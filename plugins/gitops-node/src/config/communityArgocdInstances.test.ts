import { ConfigReader } from '@backstage/config';
import { readGitopsConfig } from './readGitopsConfig';

const topology = {
  environments: [{ name: 'prod', clusters: ['prod-eu-1'] }],
  clusters: [{ name: 'prod-eu-1' }],
};

type ConfigData = ConstructorParameters<typeof ConfigReader>[0];

function read(data: { instances?: unknown[]; argocd?: unknown }) {
  const { instances, argocd } = data;
  return readGitopsConfig(
    new ConfigReader({
      gitops: { ...topology, ...(instances ? { instances } : {}) },
      ...(argocd ? { argocd } : {}),
    } as ConfigData),
  );
}

const communityArgocd = {
  username: 'backstage',
  password: 'default-secret',
  appLocatorMethods: [
    { type: 'something-else', instances: [{ name: 'ignored' }] },
    {
      type: 'config',
      instances: [
        {
          name: 'argoInstance1',
          url: 'https://argo-1.example.com',
          token: 'token-1',
          username: 'unused',
          password: 'unused',
        },
        {
          name: 'argo-2',
          url: 'https://argo-2.example.com',
          username: 'admin',
          password: 'secret-2',
        },
        { name: 'argo-3', url: 'https://argo-3.example.com' },
      ],
    },
  ],
};

describe('argocd instance credentials', () => {
  it('takes username and password instead of token', () => {
    const config = read({
      instances: [
        {
          name: 'edge',
          type: 'argocd',
          url: 'https://argo.example.com',
          username: 'admin',
          password: 'secret',
        },
      ],
    });
    expect(config.instances).toEqual([
      expect.objectContaining({
        name: 'edge',
        username: 'admin',
        password: 'secret',
        configKey: 'gitops.instances[0]',
      }),
    ]);
  });

  it.each([
    [{}, 'needs token, or username and password'],
    [
      { token: 't', username: 'admin', password: 'p' },
      'give either token or username and password, not both',
    ],
    [{ username: 'admin' }, 'needs password with username'],
    [{ password: 'p' }, 'needs username with password'],
  ])('refuses the credentials %j: %s', (credentials, message) => {
    expect(() =>
      read({
        instances: [
          {
            name: 'edge',
            type: 'argocd',
            url: 'https://argo.example.com',
            ...credentials,
          },
        ],
      }),
    ).toThrow(`gitops.instances[0]: ${message}`);
  });
});

describe('instances of the community Argo CD plugin config', () => {
  it('reads every type config instance when gitops.instances is absent, resolving credentials as the community plugin does', () => {
    expect(read({ argocd: communityArgocd }).instances).toEqual([
      {
        name: 'argoInstance1',
        type: 'argocd',
        url: 'https://argo-1.example.com',
        token: 'token-1',
        username: undefined,
        password: undefined,
        configKey: 'argocd.appLocatorMethods[1].instances[0]',
        timeoutMs: 10_000,
      },
      {
        name: 'argo-2',
        type: 'argocd',
        url: 'https://argo-2.example.com',
        token: undefined,
        username: 'admin',
        password: 'secret-2',
        configKey: 'argocd.appLocatorMethods[1].instances[1]',
        timeoutMs: 10_000,
      },
      {
        name: 'argo-3',
        type: 'argocd',
        url: 'https://argo-3.example.com',
        token: undefined,
        username: 'backstage',
        password: 'default-secret',
        configKey: 'argocd.appLocatorMethods[1].instances[2]',
        // messages about these credentials name argocd.username and argocd.password
        credentialsKey: 'argocd',
        timeoutMs: 10_000,
      },
    ]);
  });

  it('reads none when both are absent, and only the declared ones when gitops.instances is given', () => {
    expect(read({}).instances).toEqual([]);
    expect(read({ instances: [], argocd: communityArgocd }).instances).toEqual(
      [],
    );
  });

  it('completes a fromArgocdConfig entry from the instance of its name, keeping its own other keys', () => {
    const config = read({
      argocd: communityArgocd,
      instances: [
        {
          name: 'argo-2',
          type: 'argocd',
          fromArgocdConfig: true,
          uiUrl: 'https://argo-2-ui.example.com',
          clusters: ['prod-eu-1'],
        },
        {
          name: 'core',
          type: 'argocd',
          url: 'https://core.example.com',
          token: 'core-token',
        },
      ],
    });
    expect(config.instances).toEqual([
      {
        name: 'argo-2',
        type: 'argocd',
        url: 'https://argo-2.example.com',
        token: undefined,
        username: 'admin',
        password: 'secret-2',
        uiUrl: 'https://argo-2-ui.example.com',
        clusters: ['prod-eu-1'],
        configKey: 'argocd.appLocatorMethods[1].instances[1]',
        timeoutMs: 10_000,
      },
      expect.objectContaining({
        name: 'core',
        token: 'core-token',
        configKey: 'gitops.instances[1]',
      }),
    ]);
  });

  it.each([
    [
      'an unknown name',
      {
        instances: [{ name: 'argo-9', type: 'argocd', fromArgocdConfig: true }],
      },
      'gitops.instances[0]: fromArgocdConfig names no instance argo-9 under argocd.appLocatorMethods[].instances (type config; found: argoInstance1, argo-2, argo-3)',
    ],
    [
      'url and credentials given twice',
      {
        instances: [
          {
            name: 'argo-2',
            type: 'argocd',
            fromArgocdConfig: true,
            url: 'https://elsewhere.example.com',
            token: 't',
          },
        ],
      },
      'gitops.instances[0]: fromArgocdConfig takes url and credentials from argocd.appLocatorMethods; remove url, token here',
    ],
    [
      'a kubernetes instance',
      {
        instances: [
          { name: 'argo-2', type: 'kubernetes', fromArgocdConfig: true },
        ],
      },
      'gitops.instances[0]: fromArgocdConfig is for argocd instances only',
    ],
  ])('refuses a fromArgocdConfig entry with %s', (_, data, message) => {
    expect(() => read({ argocd: communityArgocd, ...data })).toThrow(message);
  });

  it.each([
    [{ url: 'https://a.example.com' }, 'needs name'],
    [{ name: 'a,b', url: 'https://a.example.com' }, 'must be a name of'],
    [{ name: 'a' }, 'needs url'],
    [
      { name: 'a', url: 'https://a.example.com', username: 'admin' },
      'needs password with username (or argocd.username and argocd.password)',
    ],
  ])('refuses a community instance %j it reads: %s', (instance, message) => {
    const argocd = {
      appLocatorMethods: [{ type: 'config', instances: [instance] }],
    };
    expect(() => read({ argocd })).toThrow(
      `argocd.appLocatorMethods[0].instances[0]: ${message}`,
    );
  });

  it('refuses a name used twice, and ignores a broken instance no entry uses', () => {
    const twice = {
      appLocatorMethods: [
        {
          type: 'config',
          instances: [
            { name: 'a', url: 'https://a.example.com', token: 't' },
            { name: 'a', url: 'https://b.example.com', token: 't' },
            { name: 'broken' },
          ],
        },
      ],
    };
    expect(() => read({ argocd: twice })).toThrow(
      'argocd.appLocatorMethods[0].instances[1]: name a is used twice',
    );
    expect(
      read({
        argocd: twice,
        instances: [{ name: 'a', type: 'argocd', fromArgocdConfig: true }],
      }).instances.map(i => i.url),
    ).toEqual(['https://a.example.com']);
  });
});
