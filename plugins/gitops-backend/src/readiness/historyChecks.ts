import {
  ClusterState,
  EnvironmentHistory,
} from '@backstage-gitops/plugin-gitops-common';
import { CheckOutcome } from './outcome';

/**
 * Whether a cluster has an earlier version to roll back to: Argo CD records a history entry per
 * successful sync (`status.history`, bounded by `revisionHistoryLimit`), and a rollback, by Git
 * revert or `argocd app rollback`, needs one older than what runs.
 */
export function historyChecks(
  cell: ClusterState,
  history: EnvironmentHistory,
): CheckOutcome[] {
  const id = 'rollback';
  const entries = history.entries.filter(e => e.cluster === cell.cluster);
  const failed = history.errors.find(
    e => e.cluster === cell.cluster || (!e.cluster && e.instance),
  );
  if (!entries.length && failed) {
    return [
      {
        id,
        result: 'unknown',
        reason: `the history could not be read: ${failed.message}`,
      },
    ];
  }
  const current = cell.liveVersion ?? cell.desiredVersion;
  const earlier = entries.find(e =>
    current && e.version ? e.version !== current : e.revision !== cell.revision,
  );
  if (earlier) {
    return [
      {
        id,
        result: 'pass',
        reason: `can roll back to ${
          earlier.version ?? earlier.revision?.slice(0, 7) ?? 'an earlier sync'
        }${earlier.deployedAt ? ` (deployed ${earlier.deployedAt})` : ''}`,
      },
    ];
  }
  return [
    {
      id,
      result: 'fail',
      reason: entries.length
        ? `the history holds only ${current ?? 'the current version'}`
        : 'Argo CD holds no history for this Application',
    },
  ];
}
