import { EntitiesSearchFilter } from '@backstage/plugin-catalog-node';
import { catalogEntityPermissionResourceRef } from '@backstage/plugin-catalog-node/alpha';
import { PermissionCriteria } from '@backstage/plugin-permission-common';
import { createPermissionRule } from '@backstage/plugin-permission-node';
import {
  GITOPS_RELEASE_OWNER_RULE,
  isReleaseOwner,
} from '@backstage-gitops/plugin-gitops-common';
import { z } from 'zod';

/**
 * The catalog permission rule behind `gitopsCatalogConditions.isReleaseOwner`: every entity when
 * one of the claims is among `releaseOwners`, none otherwise. Its query is all or nothing too, so
 * the catalog can filter lists by it as it does by `isEntityOwner`.
 *
 * @public
 */
export function createReleaseOwnerRule(releaseOwners: string[]) {
  return createPermissionRule({
    name: GITOPS_RELEASE_OWNER_RULE,
    description:
      'Allow every entity when one of the claims is a release owner (gitops.promotion.releaseOwners)',
    resourceRef: catalogEntityPermissionResourceRef,
    paramsSchema: z.object({
      claims: z
        .array(z.string())
        .describe(
          "The user's ownership claims (ownershipEntityRefs), matched against gitops.promotion.releaseOwners",
        ),
    }),
    apply: (_entity, { claims }) => isReleaseOwner(claims, releaseOwners),
    // every entity has a kind: `kind` present is all entities, its negation none
    toQuery: ({ claims }): PermissionCriteria<EntitiesSearchFilter> =>
      isReleaseOwner(claims, releaseOwners)
        ? { key: 'kind' }
        : { not: { key: 'kind' } },
  });
}
