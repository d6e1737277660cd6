import fs from 'node:fs';
import path from 'node:path';
import { Octokit } from '@octokit/rest';
import { Faults } from '../../faults/faults';
import { tmpDir } from '../../testing/helpers';
import { GitHubServer } from '../server';
import { GitHubStore } from '../store';

const TOKEN = 'gh-web-test-token';
const owner = 'acme';
const repo = 'pages';
const valuesPath = 'apps/web/envs/prod/values.yaml';

describe('GitHub stand-in web pages', () => {
  const faults = new Faults();
  const root = tmpDir('sandbox-gh-web-');
  const store = new GitHubStore(path.join(root, 'git'));
  const server = new GitHubServer({ store, faults, tokens: [TOKEN] });
  let octokit: Octokit;
  let web: string;

  const get = async (pagePath: string) => {
    const res = await fetch(`${web}${pagePath}`);
    return { status: res.status, headers: res.headers, text: await res.text() };
  };

  const postForm = (pagePath: string, form: Record<string, string>) =>
    fetch(`${web}${pagePath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });

  /** A branch off main changing prod's tag 1.4.2 -> 1.5.0, and its open pull request. */
  async function openPromotion(branch: string, body: string) {
    await store.commitFiles(owner, repo, {
      branch,
      message: 'Promote web to 1.5.0 in prod',
      files: { [valuesPath]: 'image:\n  repository: web\n  tag: "1.5.0"\n' },
    });
    const { data: pull } = await octokit.pulls.create({
      owner,
      repo,
      title: 'Promote web to 1.5.0 in prod',
      head: branch,
      base: 'main',
      body,
    });
    return pull;
  }

  beforeAll(async () => {
    await server.start(0);
    web = server.webUrl;
    octokit = new Octokit({ auth: TOKEN, baseUrl: server.apiUrl });
    store.organizations.add(owner);
    await store.createRepo({ owner, name: repo, ownerType: 'Organization' });
    await store.commitFiles(owner, repo, {
      message: 'Seed prod at 1.4.2',
      files: {
        [valuesPath]: 'image:\n  repository: web\n  tag: "1.4.2"\n',
        'README.md': '# pages\n',
      },
    });
  });

  afterAll(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('serves the pull request page at the html_url the API returns', async () => {
    const pull = await openPromotion(
      'promote/web-prod',
      '## Promotion\n\n| Service | From | To |\n| --- | --- | --- |\n| web | 1.4.2 | **1.5.0** |\n\n[Release notes](https://example.com/notes)',
    );
    expect(pull.html_url).toBe(`${web}/${owner}/${repo}/pull/${pull.number}`);
    const page = await get(new URL(pull.html_url).pathname);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<h1>Promote web to 1.5.0 in prod');
    expect(page.text).toContain('<span class="state state-open">Open</span>');
    expect(page.text).toContain(
      '<code>main</code> ← <code>promote/web-prod</code>',
    );
    // The body is rendered from Markdown.
    expect(page.text).toContain('<h2>Promotion</h2>');
    expect(page.text).toContain('<td><strong>1.5.0</strong></td>');
    expect(page.text).toContain(
      '<a href="https://example.com/notes">Release notes</a>',
    );
    // The diff, per file, unified.
    expect(page.text).toContain(
      `<section class="box" aria-label="${valuesPath}">`,
    );
    expect(page.text).toContain(
      '<span class="del">-  tag: &quot;1.4.2&quot;</span>',
    );
    expect(page.text).toContain(
      '<span class="add">+  tag: &quot;1.5.0&quot;</span>',
    );
    expect(page.text).toContain('<span class="hunk">@@ -1,3 +1,3 @@</span>');
    expect(page.text).toContain(
      '<li data-check="ci / validate">ci / validate: in progress</li>',
    );
    // The Merge form: a real button posting to the merge route with the head sha.
    expect(page.text).toContain(
      `<form method="post" action="/${owner}/${repo}/pull/${pull.number}/merge"><input type="hidden" name="sha" value="${pull.head.sha}">`,
    );
    expect(page.text).toContain(
      '<label for="merge_method">Merge method</label>',
    );
    expect(page.text).toContain(
      '<button type="submit">Merge pull request</button>',
    );
    expect(page.headers.get('content-security-policy')).toContain(
      "default-src 'none'",
    );
  });

  it('merges when the form is posted, as the REST merge endpoint does', async () => {
    const pull = await openPromotion('promote/web-prod-2', 'Bump');
    const res = await postForm(`/${owner}/${repo}/pull/${pull.number}/merge`, {
      sha: pull.head.sha,
      merge_method: 'merge',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(
      `/${owner}/${repo}/pull/${pull.number}`,
    );

    const { data: merged } = await octokit.pulls.get({
      owner,
      repo,
      pull_number: pull.number,
    });
    expect(merged.merged).toBe(true);
    expect(merged.state).toBe('closed');
    const { data: main } = await octokit.repos.getBranch({
      owner,
      repo,
      branch: 'main',
    });
    expect(main.commit.sha).toBe(merged.merge_commit_sha);
    expect(main.commit.parents.map(p => p.sha)).toContain(pull.head.sha);
    expect(
      (
        await store.get(owner, repo).git.readFile('main', valuesPath)
      )?.toString(),
    ).toContain('tag: "1.5.0"');

    const page = await get(`/${owner}/${repo}/pull/${pull.number}`);
    expect(page.text).toContain(
      '<span class="state state-merged">Merged</span>',
    );
    expect(page.text).toContain(
      `as <a href="/${owner}/${repo}/commit/${merged.merge_commit_sha}">`,
    );
    expect(page.text).not.toContain('<button');
    // The diff of a merged pull request stays the change it brought.
    expect(page.text).toContain(
      '<span class="add">+  tag: &quot;1.5.0&quot;</span>',
    );

    // Posting again does not merge twice; the page says why.
    const again = await postForm(
      `/${owner}/${repo}/pull/${pull.number}/merge`,
      {
        sha: pull.head.sha,
      },
    );
    expect(again.status).toBe(405);
  });

  it('refuses a merge of a head that moved since the page was shown', async () => {
    const pull = await openPromotion('promote/web-moved', 'Bump');
    await store.commitFiles(owner, repo, {
      branch: 'promote/web-moved',
      message: 'Another change',
      files: { 'apps/web/NOTES.md': 'late\n' },
    });
    const res = await postForm(`/${owner}/${repo}/pull/${pull.number}/merge`, {
      sha: pull.head.sha,
    });
    expect(res.status).toBe(409);
    const text = await res.text();
    expect(text).toContain(
      '<p class="error" role="alert">Not merged: Head branch was modified.',
    );
    const { data } = await octokit.pulls.get({
      owner,
      repo,
      pull_number: pull.number,
    });
    expect(data.merged).toBe(false);
  });

  it('escapes HTML in the body, in file content and in commit messages', async () => {
    const pull = await openPromotion(
      'promote/web-script',
      'Hello <script>alert(1)</script> <img src=x onerror="alert(2)">\n\n[click](javascript:alert(3))\n\n<!-- marker {"a":1} -->\n\n<!-- x --><b>bold</b>',
    );
    const page = await get(`/${owner}/${repo}/pull/${pull.number}`);
    expect(page.text).not.toContain('<script');
    expect(page.text).not.toContain('<img');
    expect(page.text).not.toMatch(/href="[^"]*alert\(3\)/);
    expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.text).toContain('click');
    // A comment alone is hidden, as on GitHub; one next to markup is shown as text.
    expect(page.text).not.toContain('marker');
    expect(page.text).toContain('&lt;!-- x --&gt;&lt;b&gt;bold&lt;/b&gt;');

    const sha = await store.commitFiles(owner, repo, {
      branch: 'scripts',
      message: 'Add <script>alert("msg")</script>',
      files: { 'evil.html': '<script>alert("file")</script>\n' },
    });
    const blob = await get(`/${owner}/${repo}/blob/scripts/evil.html`);
    expect(blob.status).toBe(200);
    expect(blob.text).not.toContain('<script');
    expect(blob.text).toContain(
      '&lt;script&gt;alert(&quot;file&quot;)&lt;/script&gt;',
    );
    const commit = await get(`/${owner}/${repo}/commit/${sha}`);
    expect(commit.text).not.toContain('<script');
    expect(commit.text).toContain('<h1>Add &lt;script&gt;');
  });

  it('serves the file view for a ref with slashes, and 404 for a missing file', async () => {
    await openPromotion('promote/web-blob', 'Bump');
    const blob = await get(
      `/${owner}/${repo}/blob/promote/web-blob/${valuesPath}`,
    );
    expect(blob.status).toBe(200);
    expect(blob.text).toContain(`<h1>${valuesPath}</h1>`);
    expect(blob.text).toContain('<code>promote/web-blob</code>');
    expect(blob.text).toContain('tag: &quot;1.5.0&quot;');
    const missing = await get(`/${owner}/${repo}/blob/main/nope.yaml`);
    expect(missing.status).toBe(404);
  });

  it('serves the commit view: message, author, parent and diff', async () => {
    const parent = await store.get(owner, repo).git.resolve('main');
    const sha = await store.commitFiles(owner, repo, {
      message: 'Tune replicas\n\nBecause traffic grew.',
      files: { 'apps/web/replicas.txt': '3\n' },
    });
    const { data: apiCommit } = await octokit.repos.getCommit({
      owner,
      repo,
      ref: sha,
    });
    expect(apiCommit.html_url).toBe(`${web}/${owner}/${repo}/commit/${sha}`);
    const page = await get(new URL(apiCommit.html_url).pathname);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Tune replicas</h1>');
    expect(page.text).toContain('Because traffic grew.');
    expect(page.text).toContain('Sandbox Bot &lt;sandbox-bot@acme.example&gt;');
    expect(page.text).toContain(
      `<dt>Parent</dt><dd><a href="/${owner}/${repo}/commit/${parent}">`,
    );
    expect(page.text).toContain('<span class="add">+3</span>');
    expect(
      (await get(`/${owner}/${repo}/commit/${'f'.repeat(40)}`)).status,
    ).toBe(404);
  });

  it('links pull requests, recent commits and files from the repository page', async () => {
    const page = await get(`/${owner}/${repo}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<h1>${owner}/${repo}</h1>`);
    expect(page.text).toContain(`${web}/${owner}/${repo}.git`);
    expect(page.text).toMatch(
      new RegExp(`<a href="/${owner}/${repo}/pull/1">#1 Promote web`),
    );
    const main = await store.get(owner, repo).git.resolve('main');
    expect(page.text).toContain(`<a href="/${owner}/${repo}/commit/${main}">`);
    expect(page.text).toContain(
      `<a href="/${owner}/${repo}/blob/main/${valuesPath}">`,
    );
    expect((await get(`/${owner}/nope`)).status).toBe(404);
  });
});
