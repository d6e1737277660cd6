export type {
  ApplicationSource,
  SlimApplication,
  SlimSource,
  SourceStatus,
} from '@backstage-gitops/plugin-gitops-node';
