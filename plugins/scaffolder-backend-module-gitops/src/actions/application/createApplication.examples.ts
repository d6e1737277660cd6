import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Render the GitOps content of a new service in every configured environment and cluster, in the Argo CD project the owner Group names',
    example: yaml.stringify({
      steps: [
        {
          id: 'gitops',
          action: 'gitops:application:create',
          name: 'Render the GitOps content',
          input: {
            name: 'checkout-api',
            owner: 'group:default/team-payments',
            gitopsRepoUrl: 'https://github.com/acme/payments-gitops',
            imageRepository: 'ghcr.io/acme/checkout-api',
            project: 'payments',
          },
        },
      ],
    }),
  },
  {
    description:
      'Render only dev and prod, prod on one cluster, with every environment synced automatically and an initial tag',
    example: yaml.stringify({
      steps: [
        {
          id: 'gitops',
          action: 'gitops:application:create',
          name: 'Render the GitOps content',
          input: {
            name: 'checkout-api',
            owner: 'group:default/team-payments',
            gitopsRepoUrl: 'https://github.com/acme/payments-gitops',
            imageRepository: 'ghcr.io/acme/checkout-api',
            imageTag: '1.0.0',
            port: 3000,
            environments: [
              { name: 'dev' },
              { name: 'prod', clusters: ['prod-eu-1'] },
            ],
            syncPolicy: { prod: 'automated' },
            project: 'payments',
            chartPath: './chart',
            targetPath: './gitops',
          },
        },
      ],
    }),
  },
];
