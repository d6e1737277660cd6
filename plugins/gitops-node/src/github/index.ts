export {
  createGithubClient,
  type CreateGithubClientOptions,
  type GithubClient,
} from './createGithubClient';
export {
  createGithubRepoClient,
  createGithubRepoClientFactory,
} from './createGithubRepoClient';
