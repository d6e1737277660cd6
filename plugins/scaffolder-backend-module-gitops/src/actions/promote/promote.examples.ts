import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Promote what staging runs to every production cluster (one pull request, or the first wave)',
    example: yaml.stringify({
      steps: [
        {
          id: 'promote',
          action: 'gitops:promote',
          name: 'Promote to production',
          input: {
            entityRef: 'component:default/storefront-web',
            from: 'staging',
            to: 'prod',
          },
        },
      ],
    }),
  },
  {
    description: 'Preview a promotion: gates and diff, nothing written',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'gitops:promote',
          name: 'Plan the promotion',
          input: {
            entityRef: 'component:default/checkout-api',
            from: 'staging',
            to: 'prod',
            dryRun: true,
          },
        },
      ],
    }),
  },
  {
    description:
      'Preview, then promote exactly the previewed change: refused if a file changed in between',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          action: 'gitops:promote',
          name: 'Plan the promotion',
          input: {
            entityRef: 'component:default/storefront-web',
            from: 'staging',
            to: 'prod',
            dryRun: true,
          },
        },
        {
          id: 'promote',
          action: 'gitops:promote',
          name: 'Promote what was planned',
          input: {
            entityRef: 'component:default/storefront-web',
            from: 'staging',
            to: 'prod',
            expectedBlobShas: '${{ steps.plan.output.blobShas }}',
          },
        },
      ],
    }),
  },
  {
    description:
      'Roll one production cluster back to an earlier version from its history',
    example: yaml.stringify({
      steps: [
        {
          id: 'rollback',
          action: 'gitops:promote',
          name: 'Roll back',
          input: {
            entityRef: 'component:default/payments-worker',
            from: 'staging',
            to: 'prod',
            version: '2.3.0',
            targets: ['prod-eu-1'],
          },
        },
      ],
    }),
  },
];
