export { createGitopsTeamResolveAction } from './resolveTeam';
export { createGitopsTeamCheckAction } from './checkTeam';
export { ANNOTATION_GITOPS_ARGOCD_PROJECT } from './annotations';
export type { GitopsRepoLocation } from './parseGitopsRepoUrl';
