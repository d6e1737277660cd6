import {
  ClusterState,
  TrackedTarget,
} from '@backstage-gitops/plugin-gitops-common';

/** Operation phases of a sync that failed. */
const FAILED_PHASES = new Set(['Failed', 'Error']);

/** Where a merged promotion's target clusters stand. */
export interface DeliveryProgress {
  targets: TrackedTarget[];
  /** Every target runs the version Synced and Healthy. */
  deployed: boolean;
  /** The first target that turned Degraded or whose sync failed after the merge. */
  failure?: { cluster: string; message: string };
}

/**
 * The progress of a merged promotion from the cells of its target environment: a target is done
 * when it runs the version Synced and Healthy; it failed when it turned Degraded running the
 * version, or its sync failed after the merge (`lastSyncedAt` later than `mergedAt`).
 */
export function deliveryProgress(options: {
  version: string;
  clusters: string[];
  cells: ClusterState[];
  mergedAt: string;
}): DeliveryProgress {
  const merged = Date.parse(options.mergedAt);
  const targets: TrackedTarget[] = [];
  let failure: DeliveryProgress['failure'];
  for (const cluster of options.clusters) {
    const cell = options.cells.find(c => c.cluster === cluster);
    const runsVersion = cell?.liveVersion === options.version;
    const target: TrackedTarget = {
      cluster,
      liveVersion: cell?.liveVersion,
      sync: cell?.sync ?? 'Unknown',
      health: cell?.health ?? 'Unknown',
      done:
        runsVersion && cell?.sync === 'Synced' && cell?.health === 'Healthy',
    };
    targets.push(target);
    if (!cell || failure) continue;
    const syncedAfterMerge =
      !!cell.lastSyncedAt && Date.parse(cell.lastSyncedAt) > merged;
    const phase = cell.operation?.phase ?? cell.operationPhase;
    if (phase && FAILED_PHASES.has(phase) && syncedAfterMerge) {
      failure = {
        cluster,
        message: `sync ${phase.toLowerCase()}${
          cell.operation?.message ? `: ${cell.operation.message}` : ''
        }`,
      };
    } else if (
      cell.health === 'Degraded' &&
      (runsVersion || syncedAfterMerge)
    ) {
      failure = { cluster, message: 'Degraded' };
    }
  }
  return {
    targets,
    deployed: targets.length > 0 && targets.every(t => t.done),
    failure,
  };
}
