import { CompoundEntityRef } from '@backstage/catalog-model';

/**
 * The deterministic branch of a promotion: one per (entity, target environment, clusters), so a
 * repeated or newer promotion finds and updates the same pull request. The clusters are named
 * only when they are not the whole environment.
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
    ...(whole ? [] : [[...clusters].sort().join('+')]),
  ];
  return parts
    .map(part => part.toLowerCase().replace(/[^a-z0-9/+._-]/g, '-'))
    .join('/');
}
