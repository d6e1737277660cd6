import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Check, before anything is written, that the team's GitOps repository can receive the new service and that its name is free",
    example: yaml.stringify({
      steps: [
        {
          id: 'check',
          action: 'gitops:team:check',
          name: 'Check the GitOps repository',
          input: {
            name: 'orders-api',
            repoUrl: 'https://github.com/acme/payments-gitops',
            branch: 'main',
          },
        },
      ],
    }),
  },
];
