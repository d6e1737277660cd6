import { CompoundEntityRef } from '@backstage/catalog-model';

/** Separates the environment from the clusters in the branch of a part of an environment. */
export const CLUSTERS_SEPARATOR = '--';

/**
 * The deterministic branch of a promotion: one per (entity, target environment, clusters), so a
 * repeated or newer promotion finds and updates the same pull request. The clusters are named
 * only when they are not the whole environment, after `--` rather than a `/`: Git cannot hold a
 * branch `a/prod` beside `a/prod/prod-eu-1`, and both are open at once while one supersedes the
 * other.
 *
 * @public
 */
export function promotionBranchName(options: {
  prefix: string;
  entity: CompoundEntityRef;
  environment: string;
  clusters: string[];
  environmentClusters: string[];
}): string {
  const { prefix, entity, environment, clusters, environmentClusters } =
    options;
  const whole =
    clusters.length === environmentClusters.length &&
    environmentClusters.every(c => clusters.includes(c));
  const parts = [
    prefix,
    ...(entity.namespace === 'default' ? [] : [entity.namespace]),
    entity.name,
    environment,
  ];
  const branch = parts.map(safe).join('/');
  return whole
    ? branch
    : `${branch}${CLUSTERS_SEPARATOR}${safe([...clusters].sort().join('+'))}`;
}

function safe(part: string): string {
  return part.toLowerCase().replace(/[^a-z0-9/+._-]/g, '-');
}
