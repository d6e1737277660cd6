import { PullRequestChecks } from '@backstage-gitops/plugin-gitops-common';

/** Conclusions of a completed check run that do not fail a pull request. */
const PASSING = new Set(['success', 'neutral', 'skipped']);

/**
 * GitHub's checks on a commit as one summary: its check runs (`status`, `conclusion`) and the
 * statuses of its combined status (`state`). Any failure fails it; otherwise anything still
 * running keeps it pending.
 */
export function summarizeChecks(
  checkRuns: Array<{ status: string; conclusion?: string | null }>,
  statuses: Array<{ state: string }>,
): PullRequestChecks {
  let failed = 0;
  let pending = 0;
  for (const run of checkRuns) {
    if (run.status !== 'completed') pending++;
    else if (!PASSING.has(run.conclusion ?? '')) failed++;
  }
  for (const status of statuses) {
    if (status.state === 'pending') pending++;
    else if (status.state !== 'success') failed++;
  }
  const total = checkRuns.length + statuses.length;
  let state: PullRequestChecks['state'] = 'success';
  if (total === 0) state = 'none';
  else if (failed > 0) state = 'failure';
  else if (pending > 0) state = 'pending';
  return { state, total, failed, pending };
}
