export { DEFAULT_CACHE_LIMITS, type CacheLimits } from './cacheLimits';
export { GITOPS_CONFIG_DEFAULTS } from './defaults';
export type { PromotionConfig } from './promotionConfig';
export { BUILT_IN_INSTANCE_TYPES, readGitopsConfig } from './readGitopsConfig';
export type { SyncMode, TemplateConfig } from './templateConfig';
export type { GitopsConfig, InstanceConfig } from './types';
