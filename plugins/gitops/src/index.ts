/**
 * GitOps entity tab for Backstage: environments x clusters, drift, history, live updates and
 * promotion; and the overview page of every service. The new frontend system plugin is the default export of `/alpha`.
 *
 * @packageDocumentation
 */
export {
  gitopsPlugin,
  EntityGitopsContent,
  EntityGitopsCard,
  GitopsOverviewPage,
} from './plugin';
export { gitopsOverviewRouteRef } from './routes';
export { isGitopsAvailable } from './isGitopsAvailable';
export { gitopsApiRef, GitopsClient } from './api';
export type { GitopsApi } from './api';
