import { GitError } from './gitRepo';
import { GitHubApiError, PullRecord } from './model';
import type { GitHubStore, RepoState } from './store';

const DOCS = 'https://docs.github.com/rest/pulls/pulls#merge-a-pull-request';
const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** What `PUT /repos/{owner}/{repo}/pulls/{n}/merge` accepts. */
export interface MergeInput {
  sha?: string;
  merge_method?: string;
  commit_title?: string;
  commit_message?: string;
}

/** The commit signature of the stand-in's own writes (merges). */
export function botSignature() {
  return {
    name: 'Sandbox Bot',
    email: 'sandbox-bot@acme.example',
    timestamp: Math.floor(Date.now() / 1000),
  };
}

/** The head and base shas of a pull request: frozen once closed, else the branch tips. */
export async function pullShas(state: RepoState, pull: PullRecord) {
  return {
    headSha:
      pull.headSha ??
      (await state.git.resolve(`refs/heads/${pull.head}`)) ??
      '0'.repeat(40),
    baseSha:
      pull.baseSha ??
      (await state.git.resolve(`refs/heads/${pull.base}`)) ??
      '0'.repeat(40),
  };
}

/** Whether an open pull request merges without conflicts (null once closed), like `mergeable`. */
export async function isMergeable(
  state: RepoState,
  pull: PullRecord,
): Promise<boolean | null> {
  if (pull.state !== 'open') return null;
  const { headSha, baseSha } = await pullShas(state, pull);
  try {
    await state.git.mergeTree(baseSha, headSha, botSignature());
    return true;
  } catch {
    return false;
  }
}

/**
 * Merges a pull request into its base branch like GitHub does (merge commit, squash or
 * rebase), moves the base branch (emitting `push`) and marks the pull request merged.
 * Both the REST merge endpoint and the web page's Merge button call this.
 */
export async function mergePull(
  store: GitHubStore,
  state: RepoState,
  pull: PullRecord,
  input: MergeInput,
): Promise<{ sha: string }> {
  if (pull.state !== 'open' || pull.merged)
    throw new GitHubApiError(405, 'Pull Request is not mergeable', DOCS);
  const { headSha, baseSha } = await pullShas(state, pull);
  if (input.sha && input.sha !== headSha) {
    throw new GitHubApiError(
      409,
      'Head branch was modified. Review and try the merge again.',
      DOCS,
    );
  }
  const method = input.merge_method ?? 'merge';
  if (!['merge', 'squash', 'rebase'].includes(method)) {
    throw new GitHubApiError(422, 'Validation Failed', DOCS, [
      { resource: 'PullRequest', field: 'merge_method', code: 'invalid' },
    ]);
  }
  const author = botSignature();
  let merged: { tree: string; fastForward: boolean };
  try {
    merged = await state.git.mergeTree(baseSha, headSha, author);
  } catch (error) {
    if (error instanceof GitError)
      throw new GitHubApiError(405, 'Pull Request is not mergeable', DOCS);
    throw error;
  }
  let sha: string;
  if (method === 'rebase' && merged.fastForward) {
    sha = headSha;
  } else if (method === 'merge') {
    const title =
      input.commit_title ??
      `Merge pull request #${pull.number} from ${state.record.owner}/${pull.head}`;
    sha = await state.git.writeCommit({
      message: `${title}\n\n${input.commit_message ?? pull.title}`,
      tree: merged.tree,
      parents: [baseSha, headSha],
      author,
    });
  } else {
    const title = input.commit_title ?? `${pull.title} (#${pull.number})`;
    sha = await state.git.writeCommit({
      message: input.commit_message
        ? `${title}\n\n${input.commit_message}`
        : title,
      tree: merged.tree,
      parents: [baseSha],
      author,
    });
  }
  const now = nowIso();
  Object.assign(pull, {
    headSha,
    baseSha,
    merged: true,
    mergedAt: now,
    mergedBy: store.botLogin,
    mergeCommitSha: sha,
    state: 'closed',
    closedAt: now,
    updatedAt: now,
  });
  await store.updateRef(state, `refs/heads/${pull.base}`, sha, 'merge');
  store.countWrite(state);
  return { sha };
}
