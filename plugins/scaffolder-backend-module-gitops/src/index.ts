/**
 * Scaffolder actions of the Backstage GitOps suite.
 *
 * @packageDocumentation
 */
export { gitopsScaffolderModule as default } from './module';
export { createGitopsTeamResolveAction } from './actions/team';
export type { GitopsRepoLocation } from './actions/team';
export { createGitopsApplicationCreateAction } from './actions/application';
export { createGitopsPromoteAction } from './actions/promote';
