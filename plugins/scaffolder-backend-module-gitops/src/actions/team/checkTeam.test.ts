import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { startFakeGithub } from './__testUtils__/fakeGithub';
import { createGitopsTeamCheckAction } from './checkTeam';

const component = (name: string, namespace = 'default'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace },
  spec: { type: 'service', owner: 'team-web', lifecycle: 'production' },
});

const paymentsFiles = [
  'README.md',
  'apps/checkout-api/Chart.yaml',
  'apps/checkout-api/envs/dev/values.yaml',
  'clusters/dev-1/apps/checkout-api.yaml',
  'clusters/prod-eu-1/apps/checkout-api.yaml',
  'clusters/prod-eu-1/apps/checkout-api-canary.yaml',
];

describe('gitops:team:check', () => {
  let github: Awaited<ReturnType<typeof startFakeGithub>>;
  const catalog = catalogServiceMock({
    entities: [component('storefront-web'), component('billing', 'finance')],
  });

  beforeAll(async () => {
    github = await startFakeGithub({
      token: 'team-token',
      repos: {
        'acme/payments-gitops': {
          push: true,
          branches: { main: paymentsFiles, release: ['README.md'] },
        },
        'acme/leftover-gitops': {
          branches: { main: ['clusters/staging-1/apps/orders-api.yml'] },
        },
        'acme/big-gitops': {
          push: true,
          truncateClusters: true,
          branches: {
            main: [
              'clusters/dev-1/apps/other.yaml',
              'clusters/prod-us-1/apps/orders-api.yaml',
            ],
          },
        },
        'acme/readonly-gitops': { push: false, branches: { main: [] } },
        'acme/empty-gitops': { push: true, branches: 'empty' },
      },
    });
  });
  afterAll(() => github.close());

  const action = (token = 'team-token') =>
    createGitopsTeamCheckAction({
      catalog,
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            github: [
              { host: github.host, apiBaseUrl: github.apiBaseUrl, token },
            ],
          },
        }),
      ),
    });

  async function check(
    input: { name: string; repo?: string; branch?: string },
    options: { token?: string; isDryRun?: boolean } = {},
  ) {
    const ctx = {
      ...createMockActionContext({
        input: {
          name: input.name,
          repoUrl: `http://${github.host}/acme/${
            input.repo ?? 'payments-gitops'
          }`,
          ...(input.branch ? { branch: input.branch } : {}),
        },
      }),
      isDryRun: options.isDryRun,
    };
    jest.spyOn(ctx.logger, 'info');
    await action(options.token).handler(ctx);
    return ctx;
  }

  beforeEach(() => {
    github.requests.length = 0;
  });

  it("passes for a new service, reading with the integration's token only", async () => {
    const ctx = await check({ name: 'orders-api' });
    expect(ctx.logger.info).toHaveBeenCalledWith(
      expect.stringContaining('can receive orders-api'),
    );
    expect(github.requests.length).toBeGreaterThan(1);
    for (const request of github.requests) {
      expect(request).toMatchObject({
        method: 'GET',
        authorization: expect.stringMatching(/^(token|bearer) team-token$/i),
      });
    }
  });

  it('refuses a service that already has a folder or Applications in the GitOps repository', async () => {
    await expect(check({ name: 'checkout-api' })).rejects.toMatchObject({
      name: 'ConflictError',
      message:
        'The service checkout-api already exists in the GitOps repository acme/payments-gitops (apps/checkout-api, clusters/dev-1/apps/checkout-api.yaml, clusters/prod-eu-1/apps/checkout-api.yaml): pick another name, or change the existing service with a pull request to acme/payments-gitops',
    });
  });

  it('finds an Application left behind without its apps folder', async () => {
    await expect(
      check({ name: 'orders-api', repo: 'leftover-gitops' }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        '(clusters/staging-1/apps/orders-api.yml)',
      ),
    });
  });

  it('looks into each cluster folder when GitHub truncates the listing', async () => {
    await expect(
      check({ name: 'orders-api', repo: 'big-gitops' }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        '(clusters/prod-us-1/apps/orders-api.yaml)',
      ),
    });
    await expect(
      check({ name: 'payments-api', repo: 'big-gitops' }),
    ).resolves.toBeDefined();
  });

  it('checks the branch the pull request targets', async () => {
    await expect(
      check({ name: 'checkout-api', branch: 'release' }),
    ).resolves.toBeDefined();
    expect(github.requests.map(r => r.path)).toContain(
      '/api/v3/repos/acme/payments-gitops/branches/release',
    );
  });

  it.each([
    ['storefront-web', 'component:default/storefront-web'],
    ['billing', 'component:finance/billing'],
  ])(
    'refuses %s, a name the catalog already has, before reading GitHub',
    async (name, ref) => {
      await expect(check({ name })).rejects.toMatchObject({
        name: 'ConflictError',
        message: `The catalog already has a Component named ${name} (${ref}): pick another name for the new service`,
      });
      expect(github.requests).toEqual([]);
    },
  );

  it.each([
    [
      'an unknown repository',
      { name: 'orders-api', repo: 'missing-gitops' },
      {},
      /The GitOps repository acme\/missing-gitops does not exist on localhost:\d+, or the credentials of integrations\.github for localhost:\d+ cannot read it/,
    ],
    [
      'a rejected token',
      { name: 'orders-api' },
      { token: 'expired' },
      /refused the credentials of integrations\.github for localhost:\d+ \(401 Unauthorized\).*renew the token/,
    ],
    [
      'a token that may not push',
      { name: 'orders-api', repo: 'readonly-gitops' },
      {},
      /can read the GitOps repository acme\/readonly-gitops but not push to it/,
    ],
    [
      'a missing branch',
      { name: 'orders-api', branch: 'nope' },
      {},
      /acme\/payments-gitops has no branch 'nope'/,
    ],
    [
      'a repository without any commit',
      { name: 'orders-api', repo: 'empty-gitops' },
      {},
      /acme\/empty-gitops has no branch 'main'/,
    ],
    ['an invalid name', { name: 'Orders_API' }, {}, /Invalid service name/],
  ])(
    'fails with what to fix for %s',
    async (_case, input, options, message) => {
      await expect(check(input, options)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
      expect(github.requests.every(r => r.method === 'GET')).toBe(true);
    },
  );

  it('fails when no GitHub integration serves the host', async () => {
    const ctx = createMockActionContext({
      input: {
        name: 'orders-api',
        repoUrl: 'https://ghe.elsewhere.example/acme/ops',
      },
    });
    await expect(action().handler(ctx)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('No GitHub integration matches'),
    });
  });

  it('checks only the catalog in a dry run', async () => {
    const ctx = await check(
      { name: 'orders-api', repo: 'missing-gitops' },
      { isDryRun: true },
    );
    expect(github.requests).toEqual([]);
    expect(ctx.logger.info).toHaveBeenCalledWith(
      expect.stringMatching(/^Dry run: not reading/),
    );
    await expect(
      check({ name: 'storefront-web' }, { isDryRun: true }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
  });
});
