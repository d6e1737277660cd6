import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

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

/** All permissions of the suite, for registration with the permission integration. @public */
export const gitopsPermissions = [
  gitopsEntityReadPermission,
  gitopsEntityPromotePermission,
];
