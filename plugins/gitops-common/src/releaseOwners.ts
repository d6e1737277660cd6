import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * Whether any of a user's ownership claims (their own entity ref and their groups', as in
 * `ownershipEntityRefs`) is one of the release owners (`gitops.promotion.releaseOwners`). A
 * release owner written without a kind is a Group; refs compare case-insensitively, as the
 * catalog compares them.
 *
 * @public
 */
export function isReleaseOwner(
  claims: string[],
  releaseOwners: string[],
): boolean {
  if (releaseOwners.length === 0) {
    return false;
  }
  const owners = new Set(releaseOwners.map(normalize));
  return claims.some(claim => owners.has(normalize(claim)));
}

function normalize(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group' }),
  ).toLocaleLowerCase('en-US');
}
