export { createGitopsPromoteAction } from './promote';
