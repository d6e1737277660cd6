import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Resolve the GitOps repository of the owning team, as picked with the OwnerPicker',
    example: yaml.stringify({
      steps: [
        {
          id: 'team',
          action: 'gitops:team:resolve',
          name: 'Find the team GitOps repository',
          input: {
            owner: 'group:default/team-payments',
          },
        },
      ],
    }),
  },
  {
    description:
      'Resolve the GitOps repository of a team by its short name (kind Group, namespace default)',
    example: yaml.stringify({
      steps: [
        {
          id: 'team',
          action: 'gitops:team:resolve',
          name: 'Find the team GitOps repository',
          input: {
            owner: 'team-payments',
          },
        },
      ],
    }),
  },
];
