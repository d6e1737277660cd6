import { DEFAULT_ENVIRONMENT_LABEL } from '@backstage-gitops/plugin-gitops-common';

/**
 * The defaults of every optional `gitops.*` key, in one place: the reader fills them in, and
 * config.d.ts documents the same values.
 *
 * @public
 */
export const GITOPS_CONFIG_DEFAULTS = {
  environmentLabel: DEFAULT_ENVIRONMENT_LABEL,
  /** An entity whose annotations select more Applications gets a config error instead. */
  maxApplicationsPerEntity: 100,
  helmValuesKey: 'image.tag',
  instanceTimeoutMs: 10_000,
  stallTimeoutMs: 5 * 60_000,
  pollIntervalMs: 30_000,
  watchEstablishedMs: 5_000,
  signalDebounceMs: 500,
  gitTimeoutMs: 10_000,
  gitWaitMs: 5_000,
  gitBranchTtlMs: 60_000,
  promotionBranchPrefix: 'gitops/promote',
} as const;

/** The instance types the suite reads by itself. @public */
export const BUILT_IN_INSTANCE_TYPES: readonly string[] = [
  'kubernetes',
  'argocd',
];
