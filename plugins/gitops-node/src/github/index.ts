export {
  createGithubClient,
  parseGithubRepositoryUrl,
  type CreateGithubClientOptions,
  type GithubClient,
  type GithubRepository,
} from './createGithubClient';
export {
  createGithubRepoClient,
  createGithubRepoClientFactory,
} from './createGithubRepoClient';
