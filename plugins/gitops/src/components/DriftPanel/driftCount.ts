import { Drift, driftCounts } from '@backstage-gitops/plugin-gitops-common';

/**
 * Number of differences from Git, leaving out the drift controllers are expected to cause;
 * exact even when the state kept only the first few resources.
 */
export function driftCount(drift: Drift): number {
  const counts = driftCounts(drift);
  return (
    counts.outOfSync +
    counts.requiresPruning +
    counts.missing +
    drift.comparisonErrors.length
  );
}
