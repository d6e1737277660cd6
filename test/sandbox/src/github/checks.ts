import type { PullRecord } from './model';

/** The one check the stand-in reports on every pull request head. */
export const CHECK_NAME = 'ci / validate';
/** How long the check runs after the pull request was opened or last updated. */
export const CHECK_RUNNING_MS = 4_000;

/** A check run as the checks API returns it. */
export interface CheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: 'in_progress' | 'completed';
  conclusion: 'success' | null;
  started_at: string;
  completed_at: string | null;
}

/**
 * The check runs of a commit: `ci / validate` on the head of each pull request, `in_progress`
 * for {@link CHECK_RUNNING_MS} after the pull request was opened or updated, then `success`.
 */
export function checkRunsOf(
  heads: Array<{ pull: PullRecord; headSha: string }>,
  sha: string,
  now = Date.now(),
): CheckRun[] {
  return heads
    .filter(h => h.headSha === sha)
    .map(({ pull }) => {
      const started = Date.parse(pull.updatedAt);
      const done = now - started >= CHECK_RUNNING_MS;
      return {
        id: pull.number,
        name: CHECK_NAME,
        head_sha: sha,
        status: done ? 'completed' : 'in_progress',
        conclusion: done ? 'success' : null,
        started_at: pull.updatedAt,
        completed_at: done
          ? new Date(started + CHECK_RUNNING_MS).toISOString()
          : null,
      };
    });
}
