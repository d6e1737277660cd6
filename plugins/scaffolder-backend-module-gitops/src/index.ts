/**
 * Scaffolder actions of the Backstage GitOps suite.
 *
 * @packageDocumentation
 */
export { gitopsScaffolderModule as default } from './module';
export {
  ANNOTATION_GITOPS_ARGOCD_PROJECT,
  createGitopsTeamCheckAction,
  createGitopsTeamResolveAction,
} from './actions/team';
export type { GitopsRepoLocation } from './actions/team';
export { createGitopsApplicationCreateAction } from './actions/application';
export { createGitopsPromoteAction } from './actions/promote';
