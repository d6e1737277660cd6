export { createGitopsApplicationCreateAction } from './createApplication';
