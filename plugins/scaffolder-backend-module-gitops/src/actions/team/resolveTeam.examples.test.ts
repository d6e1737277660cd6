import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { examples } from './resolveTeam.examples';
import { createGitopsTeamResolveAction } from './resolveTeam';

const teamPayments: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'team-payments',
    annotations: {
      'gitops/repo-url': 'https://github.com/acme/payments-gitops',
      'gitops/argocd-project': 'payments',
    },
  },
  spec: { type: 'team', children: [] },
};

describe('gitops:team:resolve examples', () => {
  const action = createGitopsTeamResolveAction({
    catalog: catalogServiceMock({ entities: [teamPayments] }),
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });

  it.each(examples.map(e => [e.description, e.example]))(
    '%s',
    async (_description, example) => {
      const ctx = createMockActionContext({
        input: yaml.parse(example).steps[0].input,
      });
      await action.handler(ctx);
      expect(ctx.output).toHaveBeenCalledWith(
        'repoUrl',
        'github.com?owner=acme&repo=payments-gitops',
      );
      expect(ctx.output).toHaveBeenCalledWith('team', 'team-payments');
      expect(ctx.output).toHaveBeenCalledWith('project', 'payments');
    },
  );
});
