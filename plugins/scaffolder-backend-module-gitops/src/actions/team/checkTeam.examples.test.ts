import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { startFakeGithub } from './__testUtils__/fakeGithub';
import { examples } from './checkTeam.examples';
import { createGitopsTeamCheckAction } from './checkTeam';

describe('gitops:team:check examples', () => {
  let github: Awaited<ReturnType<typeof startFakeGithub>>;

  beforeAll(async () => {
    github = await startFakeGithub({
      token: 'team-token',
      repos: {
        'acme/payments-gitops': {
          push: true,
          branches: { main: ['apps/checkout-api/Chart.yaml'] },
        },
      },
    });
  });
  afterAll(() => github.close());

  it.each(examples.map(e => [e.description, e.example]))(
    '%s',
    async (_description, example) => {
      const input = yaml.parse(example).steps[0].input;
      // The example's repository, served by the fake GitHub Enterprise.
      input.repoUrl = input.repoUrl.replace(
        'https://github.com',
        `http://${github.host}`,
      );
      const action = createGitopsTeamCheckAction({
        catalog: catalogServiceMock({ entities: [] }),
        integrations: ScmIntegrations.fromConfig(
          new ConfigReader({
            integrations: {
              github: [
                {
                  host: github.host,
                  apiBaseUrl: github.apiBaseUrl,
                  token: 'team-token',
                },
              ],
            },
          }),
        ),
      });
      await expect(
        action.handler(createMockActionContext({ input })),
      ).resolves.toBeUndefined();
      expect(github.requests.map(r => r.path)).toContain(
        `/api/v3/repos/acme/payments-gitops/branches/${input.branch}`,
      );

      // The same input fails once the service exists.
      const taken = { ...input, name: 'checkout-api' };
      await expect(
        action.handler(createMockActionContext({ input: taken })),
      ).rejects.toMatchObject({ name: 'ConflictError' });
    },
  );
});
