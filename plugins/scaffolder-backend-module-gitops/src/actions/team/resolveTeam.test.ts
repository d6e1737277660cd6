import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createGitopsTeamResolveAction } from './resolveTeam';

const group = (name: string, annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, annotations },
  spec: { type: 'team', children: [] },
});

const entities: Entity[] = [
  group('team-payments', {
    'gitops/repo-url': 'http://localhost:7480/acme/payments-gitops',
    'gitops/argocd-project': 'payments',
  }),
  group('team-web', {
    'gitops/repo-url': 'https://github.com/acme/web-gitops.git',
  }),
  group('team-branch', {
    'gitops/repo-url': 'https://github.com/acme/branch-gitops/tree/release',
  }),
  group('team-none'),
  group('team-ghe', {
    'gitops/repo-url': 'https://ghe.elsewhere.example/acme/ops',
  }),
  group('team-broken', { 'gitops/repo-url': 'https://github.com/acme' }),
  group('team-bad-project', {
    'gitops/repo-url': 'https://github.com/acme/bad-gitops',
    'gitops/argocd-project': 'Bad Project',
  }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'alice' },
    spec: {},
  },
];

const integrations = ScmIntegrations.fromConfig(
  new ConfigReader({
    integrations: {
      github: [
        { host: 'localhost:7480', apiBaseUrl: 'http://localhost:7480/api/v3' },
      ],
    },
  }),
);

describe('gitops:team:resolve', () => {
  const catalog = catalogServiceMock({ entities });
  const action = createGitopsTeamResolveAction({ catalog, integrations });

  async function run(owner: string) {
    const ctx = createMockActionContext({ input: { owner } });
    await action.handler(ctx);
    return Object.fromEntries(
      (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
    );
  }

  it("returns the owner's GitOps repository in every form the template needs", async () => {
    await expect(run('group:default/team-payments')).resolves.toEqual({
      repoUrl: 'localhost:7480?owner=acme&repo=payments-gitops',
      url: 'http://localhost:7480/acme/payments-gitops',
      host: 'localhost:7480',
      serverUrl: 'http://localhost:7480',
      owner: 'acme',
      repo: 'payments-gitops',
      defaultBranch: 'main',
      team: 'team-payments',
      teamRef: 'group:default/team-payments',
      project: 'payments',
    });
  });

  it('outputs no Argo CD project when the Group has no gitops/argocd-project annotation', async () => {
    const web = await run('team-web');
    expect(web.team).toBe('team-web');
    expect(web).not.toHaveProperty('project');
  });

  it('accepts a short ref, strips .git and reads the branch from /tree/<branch>', async () => {
    const web = await run('team-web');
    expect(web.url).toBe('https://github.com/acme/web-gitops');
    expect(web.repoUrl).toBe('github.com?owner=acme&repo=web-gitops');
    expect(web.serverUrl).toBe('https://github.com');
    expect(web.teamRef).toBe('group:default/team-web');

    const branch = await run('team-branch');
    expect(branch.defaultBranch).toBe('release');
    expect(branch.repo).toBe('branch-gitops');
  });

  it('looks the Group up with the credentials of the user running the template', async () => {
    const spy = jest.spyOn(catalog, 'getEntityByRef');
    const ctx = createMockActionContext({ input: { owner: 'team-payments' } });
    await action.handler(ctx);
    expect(spy).toHaveBeenCalledWith('group:default/team-payments', {
      credentials: await ctx.getInitiatorCredentials(),
    });
  });

  it.each([
    [
      'team-none',
      /team group:default\/team-none has no GitOps repository: add the annotation gitops\/repo-url/,
    ],
    [
      'user:default/alice',
      /must be a Group .* 'user:default\/alice' is a user/,
    ],
    [
      'team-missing',
      /group:default\/team-missing does not exist in the catalog/,
    ],
    ['team-ghe', /ghe\.elsewhere\.example, which has no GitHub integration/],
    ['team-broken', /does not name one repository/],
    [
      'team-bad-project',
      /annotation gitops\/argocd-project of group:default\/team-bad-project is not usable: Invalid Argo CD project 'Bad Project'/,
    ],
  ])('fails clearly for %s and outputs nothing', async (owner, message) => {
    const ctx = createMockActionContext({ input: { owner } });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringMatching(message),
    });
    expect(ctx.output).not.toHaveBeenCalled();
  });
});
