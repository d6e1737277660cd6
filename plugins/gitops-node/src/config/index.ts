export type { CacheLimits } from './cacheLimits';
export {
  BUILT_IN_INSTANCE_TYPES,
  DEFAULT_CACHE_LIMITS,
  GITOPS_CONFIG_DEFAULTS,
} from './defaults';
export type {
  PromotionConfig,
  PromotionTrackingConfig,
} from './promotionConfig';
export { readGitopsConfig } from './readGitopsConfig';
export type { SyncMode, TemplateConfig } from './templateConfig';
export {
  expectedSyncPolicy,
  readinessSeverity,
  type ExpectedSyncPolicy,
  type ReadinessCheckConfig,
  type ReadinessConfig,
} from './readinessConfig';
export type { GitopsConfig, InstanceConfig } from './types';
export type { ControlPlaneConfig } from './controlPlaneConfig';
export type {
  EnvironmentNotificationsConfig,
  NotificationsConfig,
} from './notificationsConfig';
