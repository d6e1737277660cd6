export { createReleaseOwnerRule } from './releaseOwnerRule';
