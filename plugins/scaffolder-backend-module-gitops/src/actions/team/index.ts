export { createGitopsTeamResolveAction } from './resolveTeam';
export type { GitopsRepoLocation } from './parseGitopsRepoUrl';
