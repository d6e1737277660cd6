import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import {
  createPermission,
  PermissionCondition,
} from '@backstage/plugin-permission-common';

/** Read an entity's deployment state and history. @public */
export const gitopsEntityReadPermission = createPermission({
  name: 'gitops.entity.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Open a promotion (a pull request against the GitOps repo) for an entity. @public */
export const gitopsEntityPromotePermission = createPermission({
  name: 'gitops.entity.promote',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read the control-plane health of every Argo CD instance and cluster (platform teams). A basic
 * permission: it concerns no one entity.
 *
 * @public
 */
export const gitopsControlPlaneReadPermission = createPermission({
  name: 'gitops.controlplane.read',
  attributes: { action: 'read' },
});

/** All permissions of the suite, for registration with the permission integration. @public */
export const gitopsPermissions = [
  gitopsEntityReadPermission,
  gitopsEntityPromotePermission,
  gitopsControlPlaneReadPermission,
];

/**
 * Name of the catalog permission rule that `@backstage-gitops/plugin-catalog-backend-module-gitops`
 * registers: true when one of the claims is a release owner (`gitops.promotion.releaseOwners`).
 *
 * @public
 */
export const GITOPS_RELEASE_OWNER_RULE = 'IS_GITOPS_RELEASE_OWNER';

/**
 * Conditions on catalog entities that a permission policy composes with the catalog's own
 * (`catalogConditions` of `@backstage/plugin-catalog-backend/alpha`). The catalog evaluates them,
 * so the catalog backend needs `@backstage-gitops/plugin-catalog-backend-module-gitops`.
 *
 * @public
 */
export const gitopsCatalogConditions = {
  /**
   * True, for every entity, when one of `claims` (pass the user's `ownershipEntityRefs`) is a
   * release owner. The release owners' right does not depend on the entity, but as a condition it
   * composes with `isEntityOwner` in one decision, e.g. `anyOf: [isEntityOwner, isReleaseOwner]`.
   */
  isReleaseOwner(params: {
    claims: string[];
  }): PermissionCondition<'catalog-entity', { claims: string[] }> {
    return {
      rule: GITOPS_RELEASE_OWNER_RULE,
      resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
      params,
    };
  },
};
