export { EnvironmentMatrix } from './EnvironmentMatrix';
export { shortRevision } from './shortRevision';
