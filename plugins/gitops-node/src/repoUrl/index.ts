export {
  parseGithubRepositoryUrl,
  redactUserinfo,
  type GithubRepository,
} from './parseRepoUrl';
