import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
import { Octokit } from '@octokit/rest';
import { Faults } from '../faults/faults';
import { tmpDir } from '../testing/helpers';
import { GitHubServer } from './server';
import { GitHubStore } from './store';

const TOKEN = 'gh-test-token';
const quiet = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

/** Minimal JSON-schema check of required properties and basic types, following $refs. */
function schemaErrors(
  spec: any,
  schema: any,
  value: any,
  where = '$',
  depth = 0,
): string[] {
  if (!schema || depth > 4) return [];
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop();
    return schemaErrors(
      spec,
      spec.components.schemas[name],
      value,
      where,
      depth,
    );
  }
  if (schema.allOf)
    return schema.allOf.flatMap((s: any) =>
      schemaErrors(spec, s, value, where, depth),
    );
  if (schema.anyOf || schema.oneOf) {
    const options = schema.anyOf ?? schema.oneOf;
    const results = options.map((s: any) =>
      schemaErrors(spec, s, value, where, depth),
    );
    return results.some((r: string[]) => r.length === 0) ? [] : results[0];
  }
  if (value === null)
    return schema.nullable ? [] : [`${where}: null not allowed`];
  const type = schema.type;
  if (type === 'object' || schema.properties) {
    if (typeof value !== 'object' || Array.isArray(value))
      return [`${where}: expected object`];
    const errors = (schema.required ?? [])
      .filter((k: string) => !(k in value))
      .map((k: string) => `${where}.${k}: missing`);
    for (const [key, sub] of Object.entries<any>(schema.properties ?? {})) {
      if (key in value)
        errors.push(
          ...schemaErrors(spec, sub, value[key], `${where}.${key}`, depth + 1),
        );
    }
    return errors;
  }
  if (type === 'array') {
    if (!Array.isArray(value)) return [`${where}: expected array`];
    return value
      .slice(0, 3)
      .flatMap((item, i) =>
        schemaErrors(spec, schema.items, item, `${where}[${i}]`, depth + 1),
      );
  }
  if (type === 'integer' || type === 'number')
    return typeof value === 'number' ? [] : [`${where}: expected number`];
  if (type === 'string')
    return typeof value === 'string' ? [] : [`${where}: expected string`];
  if (type === 'boolean')
    return typeof value === 'boolean' ? [] : [`${where}: expected boolean`];
  return [];
}

describe('GitHubServer', () => {
  const faults = new Faults();
  const root = tmpDir('sandbox-gh-');
  const store = new GitHubStore(path.join(root, 'git'));
  const server = new GitHubServer({ store, faults, tokens: [TOKEN] });
  let octokit: Octokit;
  let spec: any;

  const schemaFor = (pathKey: string, method: string, status: string) => {
    const op = spec.paths[pathKey][method];
    return op.responses[status].content['application/json'].schema;
  };

  beforeAll(async () => {
    await server.start(0);
    octokit = new Octokit({ auth: TOKEN, baseUrl: server.apiUrl, log: quiet });
    store.organizations.add('acme');
    await store.createRepo({
      owner: 'acme',
      name: 'demo',
      ownerType: 'Organization',
    });
    await store.commitFiles('acme', 'demo', {
      message: 'init',
      files: {
        'apps/web/values.yaml': 'image:\n  tag: "1.0.0"\n',
        'README.md': '# demo\n',
      },
    });
    spec = JSON.parse(
      fs.readFileSync(
        require.resolve('@octokit/openapi/generated/ghes-3.17.json'),
        'utf8',
      ),
    );
  });

  afterAll(async () => {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  afterEach(() => faults.reset());

  /**
   * A branch off acme/demo's main adding one file, and an open pull request of it; `base` is the
   * commit of main it started from.
   */
  async function openPullRequest(
    branch: string,
    file: string,
    content: string,
  ) {
    const owner = 'acme';
    const repo = 'demo';
    const { data: main } = await octokit.git.getRef({
      owner,
      repo,
      ref: 'heads/main',
    });
    await octokit.git.createRef({
      owner,
      repo,
      ref: `refs/heads/${branch}`,
      sha: main.object.sha,
    });
    await octokit.repos.createOrUpdateFileContents({
      owner,
      repo,
      branch,
      path: file,
      message: `Add ${file}`,
      content: Buffer.from(content).toString('base64'),
    });
    const { data: pr } = await octokit.pulls.create({
      owner,
      repo,
      title: `Add ${file}`,
      head: branch,
      base: 'main',
    });
    return { pr, base: main.object.sha };
  }

  it('links to the port it was started on, from every route', async () => {
    const web = `http://localhost:${server.port}`;
    expect(server.port).not.toBe(7480);
    const { data: repo } = await octokit.rest.repos.get({
      owner: 'acme',
      repo: 'demo',
    });
    expect(repo.clone_url).toBe(`${web}/acme/demo.git`);
    const { data: file } = await octokit.rest.repos.getContent({
      owner: 'acme',
      repo: 'demo',
      path: 'README.md',
    });
    expect(file).toMatchObject({
      html_url: `${web}/acme/demo/blob/main/README.md`,
      download_url: `${web}/acme/demo/raw/main/README.md`,
    });
  });

  it('creates a branch, a commit and a PR with Octokit and merges it', async () => {
    const owner = 'acme';
    const repo = 'demo';
    const { data: base } = await octokit.git.getRef({
      owner,
      repo,
      ref: 'heads/main',
    });
    await octokit.git.createRef({
      owner,
      repo,
      ref: 'refs/heads/bump-web',
      sha: base.object.sha,
    });
    const { data: baseCommit } = await octokit.git.getCommit({
      owner,
      repo,
      commit_sha: base.object.sha,
    });
    const { data: blob } = await octokit.git.createBlob({
      owner,
      repo,
      content: 'image:\n  tag: "1.1.0"\n',
      encoding: 'utf-8',
    });
    const { data: tree } = await octokit.git.createTree({
      owner,
      repo,
      base_tree: baseCommit.tree.sha,
      tree: [
        {
          path: 'apps/web/values.yaml',
          mode: '100644',
          type: 'blob',
          sha: blob.sha,
        },
      ],
    });
    const { data: commit } = await octokit.git.createCommit({
      owner,
      repo,
      message: 'Bump web to 1.1.0',
      tree: tree.sha,
      parents: [base.object.sha],
    });
    await octokit.git.updateRef({
      owner,
      repo,
      ref: 'heads/bump-web',
      sha: commit.sha,
    });
    const { data: pr } = await octokit.pulls.create({
      owner,
      repo,
      title: 'Bump web',
      head: 'bump-web',
      base: 'main',
      body: 'Promotion',
    });
    expect(pr).toMatchObject({
      number: 1,
      state: 'open',
      head: { ref: 'bump-web', sha: commit.sha },
      base: { ref: 'main' },
      merged: false,
    });

    await octokit.issues.addLabels({
      owner,
      repo,
      issue_number: pr.number,
      labels: ['promotion'],
    });
    await octokit.pulls.requestReviewers({
      owner,
      repo,
      pull_number: pr.number,
      reviewers: ['jonas'],
    });
    await octokit.issues.createComment({
      owner,
      repo,
      issue_number: pr.number,
      body: 'LGTM',
    });
    const { data: listed } = await octokit.pulls.list({
      owner,
      repo,
      state: 'open',
      head: 'acme:bump-web',
      base: 'main',
    });
    expect(listed.map(p => p.number)).toEqual([1]);
    expect(listed[0].labels.map(l => l.name)).toEqual(['promotion']);

    const pushes: string[] = [];
    store.on('push', e => pushes.push(`${e.ref}:${e.via}`));
    const { data: merge } = await octokit.pulls.merge({
      owner,
      repo,
      pull_number: pr.number,
    });
    expect(merge.merged).toBe(true);
    const { data: merged } = await octokit.pulls.get({
      owner,
      repo,
      pull_number: pr.number,
    });
    expect(merged).toMatchObject({
      state: 'closed',
      merged: true,
      merge_commit_sha: merge.sha,
    });
    const { data: content } = await octokit.repos.getContent({
      owner,
      repo,
      path: 'apps/web/values.yaml',
      ref: 'main',
    });
    expect(
      Buffer.from((content as any).content, 'base64').toString(),
    ).toContain('1.1.0');
    const { data: mainCommit } = await octokit.repos.getCommit({
      owner,
      repo,
      ref: 'main',
    });
    expect(mainCommit.parents.map(p => p.sha)).toEqual([
      base.object.sha,
      commit.sha,
    ]);
    expect(pushes).toEqual(['refs/heads/main:merge']);
    expect(store.writes()['acme/demo']).toBeGreaterThanOrEqual(9);
  });

  it('opens one pull request for a branch however many ask at once, as GitHub does', async () => {
    await store.commitFiles('acme', 'demo', {
      branch: 'race',
      message: 'x',
      files: { 'race.txt': 'x' },
    });
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        octokit.pulls
          .create({
            owner: 'acme',
            repo: 'demo',
            title: 'race',
            head: 'race',
            base: 'main',
          })
          .then(r => r.status)
          .catch(e => e.status),
      ),
    );
    expect(results.sort()).toEqual([201, 422, 422, 422, 422, 422, 422, 422]);
  });

  it('answers with GitHub errors and counts no writes for bad input', async () => {
    await store.commitFiles('acme', 'demo', {
      branch: 'dup',
      message: 'x',
      files: { 'x.txt': 'x' },
    });
    await octokit.pulls.create({
      owner: 'acme',
      repo: 'demo',
      title: 'dup',
      head: 'dup',
      base: 'main',
    });
    store.resetWrites();
    const dup = await octokit.pulls
      .create({
        owner: 'acme',
        repo: 'demo',
        title: 'dup',
        head: 'dup',
        base: 'main',
      })
      .catch(e => e);
    expect(dup.status).toBe(422);
    expect(dup.response.data.errors[0].message).toBe(
      'A pull request already exists for acme:dup.',
    );
    expect(dup.response.data.documentation_url).toMatch(
      /^https:\/\/docs\.github\.com/,
    );
    const main = await octokit.git.getRef({
      owner: 'acme',
      repo: 'demo',
      ref: 'heads/main',
    });
    const exists = await octokit.git
      .createRef({
        owner: 'acme',
        repo: 'demo',
        ref: 'refs/heads/dup',
        sha: main.data.object.sha,
      })
      .catch(e => e);
    expect(exists.status).toBe(422);
    expect(exists.response.data.message).toBe('Reference already exists');
    const { data: file } = await octokit.repos.getContent({
      owner: 'acme',
      repo: 'demo',
      path: 'README.md',
    });
    const stale = await octokit.repos
      .createOrUpdateFileContents({
        owner: 'acme',
        repo: 'demo',
        path: 'README.md',
        message: 'x',
        content: 'eA==',
        sha: '0'.repeat(40),
      })
      .catch(e => e);
    expect(stale.status).toBe(409);
    const missing = await octokit.repos
      .get({ owner: 'acme', repo: 'nope' })
      .catch(e => e);
    expect(missing.status).toBe(404);
    const bad = await new Octokit({
      auth: 'wrong',
      baseUrl: server.apiUrl,
      log: quiet,
    }).repos
      .get({ owner: 'acme', repo: 'demo' })
      .catch(e => e);
    expect(bad.status).toBe(401);
    expect(bad.response.data.message).toBe('Bad credentials');
    expect(store.writes()['acme/demo']).toBe(0);

    const ok = await octokit.repos.createOrUpdateFileContents({
      owner: 'acme',
      repo: 'demo',
      path: 'README.md',
      message: 'docs',
      content: Buffer.from('# demo 2\n').toString('base64'),
      sha: (file as any).sha,
    });
    expect(ok.status).toBe(200);
    expect(store.writes()['acme/demo']).toBe(1);
  });

  it('answers more bad requests with the status codes GitHub gives', async () => {
    const owner = 'acme';
    const repo = 'demo';
    const status = (p: Promise<unknown>) =>
      p.then(
        () => 200,
        (e: any) => e.status,
      );
    const { pr, base } = await openPullRequest(
      'bad-input',
      'bad-input.txt',
      'x',
    );
    store.resetWrites();
    const results = {
      missingContent: await status(
        octokit.repos.getContent({ owner, repo, path: 'nope.txt' }),
      ),
      missingPull: await status(
        octokit.pulls.get({ owner, repo, pull_number: 9999 }),
      ),
      missingRef: await status(
        octokit.git.getRef({ owner, repo, ref: 'heads/nope' }),
      ),
      missingOwner: await status(octokit.repos.get({ owner: 'nobody', repo })),
      missingIssueComment: await status(
        octokit.issues.createComment({
          owner,
          repo,
          issue_number: 9999,
          body: 'x',
        }),
      ),
      staleMergeSha: await status(
        octokit.pulls.merge({
          owner,
          repo,
          pull_number: pr.number,
          sha: base,
        }),
      ),
      badMergeMethod: await status(
        octokit.pulls.merge({
          owner,
          repo,
          pull_number: pr.number,
          merge_method: 'octopus' as any,
        }),
      ),
      missingHead: await status(
        octokit.pulls.create({
          owner,
          repo,
          head: 'no-such-branch',
          base: 'main',
          title: 'x',
        }),
      ),
      noCommits: await status(
        octokit.pulls.create({
          owner,
          repo,
          head: 'main',
          base: 'main',
          title: 'x',
        }),
      ),
      refToMissingObject: await status(
        octokit.git.createRef({
          owner,
          repo,
          ref: 'refs/heads/dangling',
          sha: 'f'.repeat(40),
        }),
      ),
      notFastForward: await status(
        octokit.git.updateRef({
          owner,
          repo,
          ref: 'heads/bad-input',
          sha: (
            await octokit.git.createCommit({
              owner,
              repo,
              message: 'orphan',
              tree: (
                await octokit.git.getCommit({
                  owner,
                  repo,
                  commit_sha: base,
                })
              ).data.tree.sha,
              parents: [],
            })
          ).data.sha,
        }),
      ),
      putWithoutSha: await status(
        octokit.repos.createOrUpdateFileContents({
          owner,
          repo,
          path: 'README.md',
          message: 'x',
          content: 'eA==',
        }),
      ),
    };
    expect(results).toEqual({
      missingContent: 404,
      missingPull: 404,
      missingRef: 404,
      missingOwner: 404,
      missingIssueComment: 404,
      staleMergeSha: 409,
      badMergeMethod: 422,
      missingHead: 422,
      noCommits: 422,
      refToMissingObject: 422,
      notFastForward: 422,
      putWithoutSha: 422,
    });
    // Only the orphan commit made for the fast-forward check was written.
    expect(store.writes()[`${owner}/${repo}`]).toBe(1);
    await octokit.pulls.merge({ owner, repo, pull_number: pr.number });
    expect(
      await status(
        octokit.pulls.merge({ owner, repo, pull_number: pr.number }),
      ),
    ).toBe(405);
  });

  it('sends rate-limit headers and counts requests by route', async () => {
    const res = await octokit.repos.get({ owner: 'acme', repo: 'demo' });
    for (const header of [
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
      'x-ratelimit-used',
      'x-ratelimit-resource',
    ]) {
      expect(res.headers[header]).toBeDefined();
    }
    const { data } = await octokit.rateLimit.get();
    expect(data.resources.core.limit).toBe(5000);
    expect(server.requestCounts()['GET /repos/:owner/:repo']).toBeGreaterThan(
      0,
    );
  });

  it('returns raw contents, tarballs and commit shas like GitHub', async () => {
    const raw = await fetch(
      `${server.apiUrl}/repos/acme/demo/contents/apps/web/values.yaml?ref=main`,
      {
        headers: {
          authorization: `token ${TOKEN}`,
          accept: 'application/vnd.github.raw',
        },
      },
    );
    expect(await raw.text()).toContain('tag:');
    const sha = await fetch(`${server.apiUrl}/repos/acme/demo/commits/main`, {
      headers: {
        authorization: `token ${TOKEN}`,
        accept: 'application/vnd.github.sha',
      },
    });
    expect(await sha.text()).toMatch(/^[0-9a-f]{40}$/);
    const tar = await fetch(`${server.apiUrl}/repos/acme/demo/tarball/main`, {
      headers: { authorization: `token ${TOKEN}` },
    });
    const file = path.join(root, 'archive.tgz');
    fs.writeFileSync(file, Buffer.from(await tar.arrayBuffer()));
    const listing = (await run('tar', ['tzf', file])).stdout.trim().split('\n');
    expect(new Set(listing.map(l => l.split('/')[0])).size).toBe(1);
    expect(listing.some(l => l.endsWith('apps/web/values.yaml'))).toBe(true);
  });

  it('serves git smart HTTP clone and push (token as password) and emits pushes', async () => {
    const work = path.join(root, 'clone');
    const remote = `http://x-access-token:${TOKEN}@localhost:${server.port}/acme/demo.git`;
    await run('git', ['clone', '-q', remote, work]);
    fs.writeFileSync(path.join(work, 'pushed.txt'), 'hello\n');
    const git = (...args: string[]) =>
      run('git', [
        '-C',
        work,
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@x',
        ...args,
      ]);
    await git('add', '.');
    await git('commit', '-qm', 'push over http');
    const pushes: string[] = [];
    store.on('push', e => pushes.push(`${e.ref}:${e.via}`));
    store.resetWrites();
    await git('push', '-q', 'origin', 'HEAD:main');
    expect(pushes).toEqual(['refs/heads/main:git']);
    expect(store.writes()['acme/demo']).toBe(1);
    const unauth = await run(
      'git',
      [
        '-C',
        work,
        'push',
        '-q',
        `http://x-access-token:bad@localhost:${server.port}/acme/demo.git`,
        'HEAD:refs/heads/other',
      ],
      {
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      },
    ).then(
      () => 'pushed',
      () => 'rejected',
    );
    expect(unauth).toBe('rejected');
  });

  it('matches the GHES OpenAPI description for key responses', async () => {
    const owner = 'acme';
    const repo = 'demo';
    const check = (
      pathKey: string,
      status: string,
      body: unknown,
      method = 'get',
    ) => {
      const errors = schemaErrors(
        spec,
        schemaFor(pathKey, method, status),
        body,
      );
      expect({ pathKey, errors }).toEqual({ pathKey, errors: [] });
    };
    check(
      '/repos/{owner}/{repo}',
      '200',
      (await octokit.repos.get({ owner, repo })).data,
    );
    await store.commitFiles(owner, repo, {
      branch: 'openapi',
      message: 'x',
      files: { 'openapi.txt': 'x' },
    });
    const { data: created } = await octokit.pulls.create({
      owner,
      repo,
      title: 'OpenAPI',
      head: 'openapi',
      base: 'main',
    });
    check('/repos/{owner}/{repo}/pulls', '201', created, 'post');
    const { data: pulls } = await octokit.pulls.list({
      owner,
      repo,
      state: 'all',
    });
    check('/repos/{owner}/{repo}/pulls', '200', pulls);
    check(
      '/repos/{owner}/{repo}/pulls/{pull_number}',
      '200',
      (await octokit.pulls.get({ owner, repo, pull_number: created.number }))
        .data,
    );
    const { data: mergeResult } = await octokit.pulls.merge({
      owner,
      repo,
      pull_number: created.number,
      merge_method: 'squash',
    });
    check(
      '/repos/{owner}/{repo}/pulls/{pull_number}/merge',
      '200',
      mergeResult,
      'put',
    );
    const { data: ref } = await octokit.git.getRef({
      owner,
      repo,
      ref: 'heads/main',
    });
    check('/repos/{owner}/{repo}/git/ref/{ref}', '200', ref);
    check(
      '/repos/{owner}/{repo}/git/commits/{commit_sha}',
      '200',
      (await octokit.git.getCommit({ owner, repo, commit_sha: ref.object.sha }))
        .data,
    );
    check(
      '/repos/{owner}/{repo}/commits/{ref}',
      '200',
      (await octokit.repos.getCommit({ owner, repo, ref: 'main' })).data,
    );
    check(
      '/repos/{owner}/{repo}/contents/{path}',
      '200',
      (await octokit.repos.getContent({ owner, repo, path: 'README.md' })).data,
    );
    check(
      '/repos/{owner}/{repo}/branches/{branch}',
      '200',
      (await octokit.repos.getBranch({ owner, repo, branch: 'main' })).data,
    );
    check(
      '/repos/{owner}/{repo}/git/trees/{tree_sha}',
      '200',
      (
        await octokit.git.getTree({
          owner,
          repo,
          tree_sha: 'main',
          recursive: '1',
        })
      ).data,
    );
  });
  it('answers GraphQL queries for a ref and its open pull requests at /api/graphql', async () => {
    const owner = 'acme';
    const repo = 'demo';
    const { pr } = await openPullRequest(
      'graphql-head',
      'GRAPHQL.md',
      '# GraphQL\n',
    );
    const query = `query ($owner: String!, $repo: String!, $head: String!) {
      repository(name: $repo, owner: $owner) {
        ref(qualifiedName: $head) {
          associatedPullRequests(first: 1, states: OPEN) { edges { node { id number url } } }
        }
      }
    }`;

    const found: any = await octokit.graphql(query, {
      owner,
      repo,
      head: 'graphql-head',
    });
    expect(found.repository.ref.associatedPullRequests.edges).toEqual([
      {
        node: {
          id: expect.any(String),
          number: pr.number,
          url: `${server.webUrl}/acme/demo/pull/${pr.number}`,
        },
      },
    ]);
    const missing: any = await octokit.graphql(query, {
      owner,
      repo,
      head: 'no-such-branch',
    });
    expect(missing.repository.ref).toBeNull();
    await expect(
      new Octokit({
        auth: 'wrong',
        baseUrl: server.apiUrl,
        log: quiet,
      }).graphql(query, { owner, repo, head: 'main' }),
    ).rejects.toMatchObject({ status: 401 });
  });

  it('reports the ci / validate check run on the head of an open pull request, and mergeability', async () => {
    const { pr } = await openPullRequest('checked', 'checked.txt', 'x\n');
    const owner = 'acme';
    const repo = 'demo';
    const { data: pull } = await octokit.rest.pulls.get({
      owner,
      repo,
      pull_number: pr.number,
    });
    expect(pull).toMatchObject({ mergeable: true, mergeable_state: 'clean' });
    const { data: runs } = await octokit.rest.checks.listForRef({
      owner,
      repo,
      ref: pull.head.sha,
    });
    expect(runs.total_count).toBe(1);
    expect(runs.check_runs[0]).toMatchObject({
      name: 'ci / validate',
      head_sha: pull.head.sha,
      status: 'in_progress',
      conclusion: null,
    });
    const { data: status } = await octokit.rest.repos.getCombinedStatusForRef({
      owner,
      repo,
      ref: pull.head.sha,
    });
    expect(status).toMatchObject({ state: 'pending', statuses: [] });
    const { data: main } = await octokit.rest.checks.listForRef({
      owner,
      repo,
      ref: 'main',
    });
    expect(main.total_count).toBe(0);
    await expect(
      octokit.rest.checks.listForRef({ owner, repo, ref: 'no-such-ref' }),
    ).rejects.toMatchObject({ status: 422 });
  });
});
