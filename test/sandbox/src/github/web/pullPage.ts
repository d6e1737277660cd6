import { CheckRun, checkRunsOf } from '../checks';
import { isMergeable, pullShas } from '../mergePull';
import type { PullRecord } from '../model';
import type { RepoState } from '../store';
import { renderDiff } from './diffView';
import { Html, markup, page } from './html';
import { renderMarkdown } from './markdown';

/** open, merged or closed (closed without merging), as GitHub labels a pull request. */
export function pullStateName(pull: PullRecord): 'open' | 'merged' | 'closed' {
  if (pull.merged) return 'merged';
  return pull.state;
}

const MERGE_FORM_OPTIONS = markup`<option value="merge">Create a merge commit</option><option value="squash">Squash and merge</option><option value="rebase">Rebase and merge</option>`;

async function mergeSection(
  state: RepoState,
  pull: PullRecord,
  headSha: string,
  error: string | undefined,
): Promise<Html> {
  const repoPath = `/${state.record.owner}/${state.record.name}`;
  const stateName = pullStateName(pull);
  if (stateName === 'merged') {
    const sha = pull.mergeCommitSha ?? '';
    return markup`<section class="box" aria-labelledby="merge-heading"><h2 id="merge-heading">Merged</h2><div class="content"><p>${
      pull.mergedBy
    } merged this pull request into <code>${pull.base}</code> at ${
      pull.mergedAt
    } as <a href="${repoPath}/commit/${sha}"><code class="sha">${sha.slice(
      0,
      7,
    )}</code></a>.</p></div></section>`;
  }
  if (stateName === 'closed') {
    return markup`<section class="box" aria-labelledby="merge-heading"><h2 id="merge-heading">Closed</h2><div class="content"><p>This pull request was closed without merging at ${pull.closedAt}.</p></div></section>`;
  }
  const conflicts = (await isMergeable(state, pull))
    ? markup`<p>This branch has no conflicts with the base branch.</p>`
    : markup`<p>This branch has conflicts that must be resolved.</p>`;
  const alert = error
    ? markup`<p class="error" role="alert">${error}</p>`
    : undefined;
  return markup`<section class="box" aria-labelledby="merge-heading"><h2 id="merge-heading">Merge</h2><div class="content">${alert}${conflicts}<form method="post" action="${repoPath}/pull/${pull.number}/merge"><input type="hidden" name="sha" value="${headSha}"><label for="merge_method">Merge method</label> <select id="merge_method" name="merge_method">${MERGE_FORM_OPTIONS}</select> <button type="submit">Merge pull request</button></form></div></section>`;
}

function checksList(runs: CheckRun[], repoPath: string, headSha: string): Html {
  const commit = markup`<a href="${repoPath}/commit/${headSha}"><code class="sha">${headSha.slice(
    0,
    7,
  )}</code></a>`;
  if (runs.length === 0) {
    return markup`<p>No checks reported for ${commit}.</p>`;
  }
  return markup`<p>Checks on ${commit}:</p><ul>${runs.map(
    run =>
      markup`<li data-check="${run.name}">${run.name}: ${
        run.status === 'completed' ? run.conclusion : 'in progress'
      }</li>`,
  )}</ul>`;
}

/**
 * The pull request page: title, state, base ← head, the body rendered from Markdown,
 * checks of the head commit, the Merge form (while open) and the diff base...head.
 */
export async function renderPullPage(args: {
  state: RepoState;
  pull: PullRecord;
  /** Shown above the Merge form, e.g. why the last merge attempt failed. */
  error?: string;
}): Promise<string> {
  const { state, pull, error } = args;
  const { owner, name } = state.record;
  const repoPath = `/${owner}/${name}`;
  const { headSha, baseSha } = await pullShas(state, pull);
  // base...head: from where the head branched off (base's frozen tip once merged).
  const from = (await state.git.mergeBase(baseSha, headSha)) ?? baseSha;
  const stateName = pullStateName(pull);
  const stateLabel = stateName[0].toUpperCase() + stateName.slice(1);
  const description = pull.body
    ? renderMarkdown(pull.body)
    : markup`<p>No description provided.</p>`;
  const diff = await renderDiff({
    git: state.git,
    repoPath,
    from,
    to: headSha,
  });
  const body = markup`<h1>${pull.title} <span>#${pull.number}</span></h1>
<p><span class="state state-${stateName}">${stateLabel}</span> ${
    pull.user
  } wants to merge into <code>${pull.base}</code> from <code>${
    pull.head
  }</code> (<code>${pull.base}</code> ← <code>${pull.head}</code>)</p>
<section class="box" aria-labelledby="body-heading"><h2 id="body-heading">Description</h2><div class="content">${description}</div></section>
<section class="box" aria-labelledby="checks-heading"><h2 id="checks-heading">Checks</h2><div class="content">${checksList(
    stateName === 'open' ? checkRunsOf([{ pull, headSha }], headSha) : [],
    repoPath,
    headSha,
  )}</div></section>
${await mergeSection(state, pull, headSha, error)}
<section aria-labelledby="files-heading"><h2 id="files-heading">Files changed</h2>${diff}</section>`;
  return page({
    title: `${pull.title} · Pull Request #${pull.number} · ${owner}/${name}`,
    repo: { owner, name },
    body,
  });
}
