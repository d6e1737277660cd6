import { DEFAULT_ENVIRONMENT_LABEL } from '@backstage-gitops/plugin-gitops-common';
import { DEFAULT_YAML_LIMITS } from '../yaml/yamlLimits';
import type { CacheLimits } from './cacheLimits';

/** The defaults of `gitops.cache`; at most a few hundred MB even with every cache full. @public */
export const DEFAULT_CACHE_LIMITS: CacheLimits = {
  git: {
    maxFiles: 10_000,
    maxBlobBytes: 16 * 1024 * 1024,
    maxResults: 20_000,
    maxFailures: 2_000,
    ttlMs: 60 * 60 * 1000,
  },
  history: { maxEntries: 1_000, ttlMs: 60 * 1000 },
  recentEntities: { maxEntries: 10_000, ttlMs: 60 * 60 * 1000 },
};

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
  /** `gitops.overview.refresh`: how often the overview reads the catalog's GitOps entities again. */
  overviewRefreshMs: 300_000,
  gitTimeoutMs: 10_000,
  gitWaitMs: 5_000,
  gitBranchTtlMs: 60_000,
  promotionBranchPrefix: 'gitops/promote',
  /** `gitops.cache` */
  cache: DEFAULT_CACHE_LIMITS,
  /** `gitops.yamlLimits` */
  yamlLimits: DEFAULT_YAML_LIMITS,
} as const;

/** The instance types the suite reads by itself. @public */
export const BUILT_IN_INSTANCE_TYPES: readonly string[] = [
  'kubernetes',
  'argocd',
];
