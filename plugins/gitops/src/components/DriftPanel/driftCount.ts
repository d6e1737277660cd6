import { Drift } from '@backstage-gitops/plugin-gitops-common';

/** Number of differences from Git, leaving out the drift controllers are expected to cause. */
export function driftCount(drift: Drift): number {
  return (
    drift.outOfSync.length +
    drift.requiresPruning.length +
    drift.missing.length +
    drift.comparisonErrors.length
  );
}
