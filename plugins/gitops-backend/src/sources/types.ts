export type {
  ApplicationSource,
  IgnoredDifference,
  SlimApplication,
  SlimSource,
  SourceStatus,
} from '@backstage-gitops/plugin-gitops-node';
