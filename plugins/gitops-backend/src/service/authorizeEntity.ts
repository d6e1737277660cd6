import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { gitopsEntityReadPermission } from '@backstage-gitops/plugin-gitops-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

/**
 * Loads an entity as the caller sees it and checks `gitops.entity.read` on it: 400 for a
 * malformed reference, 404 when the catalog does not have it, 403 when the caller may not read its deployment state.
 */
export async function loadAuthorizedEntity(options: {
  entityRef: string;
  credentials: BackstageCredentials;
  catalog: CatalogService;
  permissions: PermissionsService;
}): Promise<Entity> {
  const { entityRef, credentials, catalog, permissions } = options;
  try {
    parseEntityRef(entityRef);
  } catch (error) {
    throw new InputError(
      `${
        (error as Error).message
      }: write the entity as kind:namespace/name, e.g. component:default/checkout-api`,
    );
  }
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
