import { GitopsTopology } from '@backstage-gitops/plugin-gitops-common';
import { YamlLimits } from '../yaml';
import { CacheLimits } from './cacheLimits';
import { PromotionConfig } from './promotionConfig';
import { TemplateConfig } from './templateConfig';

/**
 * An Argo CD instance the state is read from (`gitops.instances[]`, completed from the community
 * Argo CD plugin's or the Kubernetes plugin's config where an entry refers to them).
 *
 * @public
 */
export interface InstanceConfig {
  name: string;
  /** `kubernetes` (list + watch of Application resources) or `argocd` (REST list + stream). */
  type: string;
  url?: string;
  token?: string;
  username?: string;
  password?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify?: boolean;
  kubeconfigPath?: string;
  context?: string;
  namespaces?: string[];
  uiUrl?: string;
  /** Bound on each request to the instance. */
  timeoutMs: number;
  clusters?: string[];
  /** Where it is configured, e.g. `gitops.instances[1]`, for the fix in messages. */
  configKey?: string;
  /**
   * Where `username` and `password` are configured when not under {@link InstanceConfig.configKey}:
   * `argocd` for the community plugin's `argocd.username` and `argocd.password` defaults.
   */
  credentialsKey?: string;
}

/**
 * The validated `gitops` configuration: one reader ({@link readGitopsConfig}) for the backend,
 * the promotion engine and the scaffolder module.
 *
 * @public
 */
export interface GitopsConfig {
  topology: GitopsTopology;
  instances: InstanceConfig[];
  environmentLabel: string;
  /** An entity whose annotations select more Applications gets a config error instead. */
  maxApplicationsPerEntity: number;
  helmValuesKey: string;
  stallTimeoutMs: number;
  pollIntervalMs: number;
  /** A failing source recovers once its watch stayed open this long (or delivered data). */
  watchEstablishedMs: number;
  signalDebounceMs: number;
  /** `gitops.overview.refresh`: how often the overview reads the catalog's GitOps entities again. */
  overviewRefreshMs: number;
  /** Bound on one GitHub request of a desired-version read. */
  gitTimeoutMs: number;
  /** How long a state request waits for Git before answering with a `timeout` error. */
  gitWaitMs: number;
  /** How long a file read at a branch (not a commit sha) is trusted. */
  gitBranchTtlMs: number;
  /** `gitops.yamlLimits`: files beyond them are refused before parsing. */
  yamlLimits: YamlLimits;
  /** `gitops.cache`: bounds and times to live of the in-memory caches. */
  cache: CacheLimits;
  /** `gitops.promotion` with the environments it promotes between. */
  promotion: PromotionConfig;
  /** `gitops.template`: settings of the software template's actions. */
  template: TemplateConfig;
}
