export {
  createGithubClient,
  parseGithubRepositoryUrl,
  type CreateGithubClientOptions,
  type GithubClient,
  type GithubRepository,
} from './createGithubClient';
