/**
 * Catalog module of the Backstage GitOps suite: the release-owner permission rule.
 *
 * @packageDocumentation
 */
export { catalogModuleGitopsReleaseOwners as default } from './module';
/** Moved to `@backstage-gitops/plugin-gitops-node`, which the GitOps backend shares it from; re-exported here. */
export { createReleaseOwnerRule } from '@backstage-gitops/plugin-gitops-node';
