/**
 * Catalog module of the Backstage GitOps suite: the release-owner permission rule.
 *
 * @packageDocumentation
 */
export { catalogModuleGitopsReleaseOwners as default } from './module';
export { createReleaseOwnerRule } from './releaseOwnerRule';
