import type { Router } from '../../util/router';
import { ApiHandler, GitHubContext, ok } from '../context';
import { checkRunsOf } from '../checks';
import { pullShas } from '../mergePull';
import type { RepoState } from '../store';

/** The heads of a repository's open pull requests. */
export async function openPullHeads(state: RepoState) {
  return Promise.all(
    state.pulls
      .filter(pull => pull.state === 'open')
      .map(async pull => ({
        pull,
        headSha: (await pullShas(state, pull)).headSha,
      })),
  );
}

/** Check runs and the combined status of a commit (registered before the commit routes). */
export function registerCheckRoutes(
  router: Router<ApiHandler>,
  gh: GitHubContext,
): void {
  const runs = async (params: Record<string, string>) => {
    const state = gh.repo(params);
    const sha = await gh.resolveCommit(state, params.ref);
    return { sha, runs: checkRunsOf(await openPullHeads(state), sha) };
  };

  router.add(
    'GET',
    '/repos/:owner/:repo/commits/:ref/check-runs',
    async ({ params }) => {
      const { runs: checkRuns } = await runs(params);
      return ok({ total_count: checkRuns.length, check_runs: checkRuns });
    },
  );

  // the stand-in reports checks as check runs only; like GitHub, no statuses is `pending`
  router.add(
    'GET',
    '/repos/:owner/:repo/commits/:ref/status',
    async ({ params }) => {
      const { sha } = await runs(params);
      return ok({ state: 'pending', sha, total_count: 0, statuses: [] });
    },
  );
}
