import type { RepoState } from '../store';
import { renderDiff } from './diffView';
import { markup, page } from './html';
import { pullStateName } from './pullPage';

const MAX_LISTED_FILES = 300;
const RECENT_COMMITS = 20;

const firstLine = (message: string) => message.split('\n')[0];

/** The repository page: clone URL, pull requests, recent commits and files of the default branch. */
export async function renderRepoPage(args: {
  state: RepoState;
  webUrl: string;
}): Promise<string> {
  const { state, webUrl } = args;
  const { owner, name, defaultBranch, description } = state.record;
  const repoPath = `/${owner}/${name}`;
  const head = await state.git.resolve(`refs/heads/${defaultBranch}`);
  const pulls = [...state.pulls].sort((a, b) => b.number - a.number);
  const commits = head ? await state.git.log(head, RECENT_COMMITS) : [];
  const tree = head ? (await state.git.readCommit(head)).tree : undefined;
  const files = tree
    ? (await state.git.readTreeRecursive(tree)).filter(e => e.type === 'blob')
    : [];
  const openCount = pulls.filter(p => p.state === 'open').length;
  const pullList = pulls.length
    ? markup`<ul class="plain">${pulls.map(
        p =>
          markup`<li><span class="state state-${pullStateName(
            p,
          )}">${pullStateName(p)}</span> <a href="${repoPath}/pull/${
            p.number
          }">#${p.number} ${p.title}</a> <code>${p.base}</code> ← <code>${
            p.head
          }</code></li>`,
      )}</ul>`
    : markup`<div class="content"><p>No pull requests.</p></div>`;
  const commitList = commits.length
    ? markup`<ul class="plain">${commits.map(
        c =>
          markup`<li><a href="${repoPath}/commit/${
            c.oid
          }"><code class="sha">${c.oid.slice(0, 7)}</code> ${firstLine(
            c.commit.message,
          )}</a> by ${c.commit.author.name}</li>`,
      )}</ul>`
    : markup`<div class="content"><p>No commits yet.</p></div>`;
  const fileList = files.length
    ? markup`<ul class="plain">${files
        .slice(0, MAX_LISTED_FILES)
        .map(
          f =>
            markup`<li><a href="${repoPath}/blob/${defaultBranch}/${encodeURI(
              f.path,
            )}">${f.path}</a></li>`,
        )}</ul>`
    : markup`<div class="content"><p>No files.</p></div>`;
  const filesNote =
    files.length > MAX_LISTED_FILES
      ? ` (first ${MAX_LISTED_FILES} of ${files.length})`
      : '';
  const body = markup`<h1>${owner}/${name}</h1>
<p>${
    description ?? 'GitOps sandbox repository.'
  } Clone: <code>${webUrl}${repoPath}.git</code></p>
<section class="box" aria-labelledby="pulls-heading"><h2 id="pulls-heading">Pull requests (${openCount} open)</h2>${pullList}</section>
<section class="box" aria-labelledby="commits-heading"><h2 id="commits-heading">Recent commits on ${defaultBranch}</h2>${commitList}</section>
<section class="box" aria-labelledby="files-heading"><h2 id="files-heading">Files on ${defaultBranch}${filesNote}</h2>${fileList}</section>`;
  return page({ title: `${owner}/${name}`, repo: { owner, name }, body });
}

/** The file view: a file's content at a ref, as escaped text. */
export function renderBlobPage(args: {
  state: RepoState;
  ref: string;
  path: string;
  content: Buffer;
}): string {
  const { state, ref, path, content } = args;
  const { owner, name } = state.record;
  const repoPath = `/${owner}/${name}`;
  const shown = content.includes(0)
    ? markup`<div class="content"><p>Binary file (${content.length} bytes) not shown.</p></div>`
    : markup`<pre class="file">${content.toString('utf8')}</pre>`;
  const body = markup`<h1>${path}</h1>
<p>At <code>${ref}</code> · <a href="${repoPath}/raw/${ref}/${encodeURI(
    path,
  )}">Raw</a></p>
<section class="box" aria-label="File content">${shown}</section>`;
  return page({
    title: `${path} at ${ref} · ${owner}/${name}`,
    repo: { owner, name },
    body,
  });
}

/** The commit view: message, author, parents and the diff against the first parent. */
export async function renderCommitPage(args: {
  state: RepoState;
  sha: string;
}): Promise<string> {
  const { state, sha } = args;
  const { owner, name } = state.record;
  const repoPath = `/${owner}/${name}`;
  const commit = await state.git.readCommit(sha);
  const [title, ...rest] = commit.message.trimEnd().split('\n');
  const description = rest.join('\n').trim();
  const date = new Date(commit.author.timestamp * 1000).toISOString();
  const parents = commit.parent.length
    ? commit.parent.map(
        (p, i) =>
          markup`${
            i ? ', ' : ''
          }<a href="${repoPath}/commit/${p}"><code class="sha">${p.slice(
            0,
            7,
          )}</code></a>`,
      )
    : 'none (root commit)';
  const diff = await renderDiff({
    git: state.git,
    repoPath,
    from: commit.parent[0],
    to: sha,
  });
  const body = markup`<h1>${title}</h1>
${description ? markup`<pre class="file">${description}</pre>` : ''}
<dl><dt>Author</dt><dd>${commit.author.name} &lt;${
    commit.author.email
  }&gt; at ${date}</dd><dt>Commit</dt><dd><code class="sha">${sha}</code></dd><dt>${
    commit.parent.length === 1 ? 'Parent' : 'Parents'
  }</dt><dd>${parents}</dd></dl>
<section aria-labelledby="files-heading"><h2 id="files-heading">Files changed</h2>${diff}</section>`;
  return page({
    title: `${title} · ${owner}/${name}@${sha.slice(0, 7)}`,
    repo: { owner, name },
    body,
  });
}
