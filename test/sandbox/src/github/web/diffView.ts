import { structuredPatch } from 'diff';
import type { GitRepo } from '../gitRepo';
import { Html, markup } from './html';

/** Files larger than this are listed but not diffed, as GitHub does for large diffs. */
const MAX_DIFF_BYTES = 256 * 1024;

async function text(
  git: GitRepo,
  oid: string | undefined,
): Promise<string | null> {
  if (!oid) return '';
  const blob = await git.readBlob(oid);
  if (blob.length > MAX_DIFF_BYTES || blob.includes(0)) return null;
  return blob.toString('utf8');
}

function lineClass(line: string): string {
  if (line.startsWith('+')) return 'add';
  if (line.startsWith('-')) return 'del';
  return 'ctx';
}

/**
 * The unified diff (3 lines of context) of every file changed from commit `from` to `to`,
 * one section per file headed by its path (linked to the file view at `to`).
 */
export async function renderDiff(args: {
  git: GitRepo;
  repoPath: string;
  from: string | undefined;
  to: string;
}): Promise<Html> {
  const { git, repoPath, from, to } = args;
  const changes = await git.changes(from, to);
  if (changes.length === 0) return markup`<p>No file changes.</p>`;
  const files: Html[] = [];
  for (const change of changes) {
    const before = await text(git, change.oldOid);
    const after = await text(git, change.newOid);
    const heading =
      change.status === 'removed'
        ? markup`${change.path}`
        : markup`<a href="${repoPath}/blob/${to}/${encodeURI(change.path)}">${
            change.path
          }</a>`;
    let body: Html;
    if (before === null || after === null) {
      body = markup`<p class="file">Binary or large file not shown.</p>`;
    } else {
      const patch = structuredPatch(
        change.path,
        change.path,
        before,
        after,
        undefined,
        undefined,
        { context: 3 },
      );
      body = markup`<pre class="diff">${patch.hunks.map(
        hunk =>
          markup`<span class="hunk">@@ -${hunk.oldStart},${hunk.oldLines} +${
            hunk.newStart
          },${hunk.newLines} @@</span>${hunk.lines.map(
            line => markup`<span class="${lineClass(line)}">${line}</span>`,
          )}`,
      )}</pre>`;
    }
    files.push(
      markup`<section class="box" aria-label="${change.path}"><h3>${heading} <small>(${change.status})</small></h3>${body}</section>`,
    );
  }
  return markup`${files}`;
}
