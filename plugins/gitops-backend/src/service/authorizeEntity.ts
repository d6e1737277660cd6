import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { gitopsEntityReadPermission } from '@backstage-gitops/plugin-gitops-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/**
 * Loads an entity as the caller sees it and checks `gitops.entity.read` on it: 404 when the
 * catalog does not have it, 403 when the caller may not read its deployment state.
 */
export async function loadAuthorizedEntity(options: {
  entityRef: string;
  credentials: BackstageCredentials;
  catalog: CatalogService;
  permissions: PermissionsService;
}): Promise<Entity> {
  const { entityRef, credentials, catalog, permissions } = options;
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  if (!entity) {
    throw new NotFoundError(`No entity ${entityRef} in the catalog`);
  }
  const resourceRef = stringifyEntityRef(entity);
  const [decision] = await permissions.authorize(
    [{ permission: gitopsEntityReadPermission, resourceRef }],
    { credentials },
  );
  if (decision.result !== AuthorizeResult.ALLOW) {
    throw new NotAllowedError(
      `You may not read the deployment state of ${resourceRef} (permission ${gitopsEntityReadPermission.name})`,
    );
  }
  return entity;
}
