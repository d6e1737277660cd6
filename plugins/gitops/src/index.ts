/**
 * GitOps entity tab for Backstage: environments x clusters, drift, history, live updates and
 * promotion. The new frontend system plugin is the default export of `/alpha`.
 *
 * @packageDocumentation
 */
export { gitopsPlugin, EntityGitopsContent, EntityGitopsCard } from './plugin';
export { isGitopsAvailable } from './isGitopsAvailable';
export { gitopsApiRef, GitopsClient } from './api';
export type { GitopsApi } from './api';
