import type { Router } from '../../util/router';
import { ApiHandler, GitHubContext, ok } from '../context';
import { GitHubApiError } from '../model';

const DOCS = 'https://docs.github.com/rest/repos/repos';

/** Repositories, users, organizations, branches and commits. */
export function registerRepoRoutes(
  router: Router<ApiHandler>,
  gh: GitHubContext,
): void {
  const { store, shapes } = gh;

  router.add('GET', '/user', async () =>
    ok(shapes.user(store.botLogin, 'Bot')),
  );
  router.add('GET', '/users/:login', async ({ params }) =>
    ok(
      shapes.user(
        params.login,
        store.organizations.has(params.login) ? 'Organization' : 'User',
      ),
    ),
  );
  router.add('GET', '/orgs/:org', async ({ params }) => {
    if (!store.organizations.has(params.org))
      throw new GitHubApiError(
        404,
        'Not Found',
        'https://docs.github.com/rest/orgs/orgs#get-an-organization',
      );
    const user = shapes.user(params.org, 'Organization');
    return ok({
      ...user,
      description: null,
      name: params.org,
      type: 'Organization',
      public_repos: store.list(params.org).length,
    });
  });

  const createRepo =
    (owner: (ctx: { params: Record<string, string> }) => string): ApiHandler =>
    async ctx => {
      const body = await ctx.body();
      if (!body.name || typeof body.name !== 'string') {
        throw gh.validation(
          'Repository creation failed.',
          `${DOCS}#create-an-organization-repository`,
          [{ resource: 'Repository', code: 'missing_field', field: 'name' }],
        );
      }
      const state = await store.createRepo({
        owner: owner(ctx),
        name: body.name,
        description: body.description ?? null,
        private: body.private ?? body.visibility === 'private',
      });
      if (body.auto_init) {
        await store.commitFiles(state.record.owner, state.record.name, {
          message: 'Initial commit',
          files: {
            'README.md': `# ${body.name}\n\n${body.description ?? ''}\n`,
          },
        });
      }
      return ok(shapes.repo(state.record), 201);
    };
  router.add(
    'POST',
    '/user/repos',
    createRepo(() => store.botLogin),
  );
  router.add(
    'POST',
    '/orgs/:org/repos',
    createRepo(({ params }) => params.org),
  );

  const listRepos: ApiHandler = async ({ params }) =>
    ok(store.list(params.org ?? params.login).map(r => shapes.repo(r.record)));
  router.add('GET', '/orgs/:org/repos', listRepos);
  router.add('GET', '/users/:login/repos', listRepos);
  router.add('GET', '/user/repos', async () =>
    ok(store.list().map(r => shapes.repo(r.record))),
  );

  router.add('GET', '/repos/:owner/:repo', async ({ params }) => {
    const state = gh.repo(params);
    return ok(
      shapes.repo(state.record, {
        openIssues: state.pulls.filter(p => p.state === 'open').length,
      }),
    );
  });

  router.add('GET', '/repos/:owner/:repo/branches', async ({ params }) => {
    const state = gh.repo(params);
    const refs = await state.git.refs('refs/heads/');
    return ok(
      refs.map(r => ({
        name: r.ref.slice('refs/heads/'.length),
        commit: {
          sha: r.oid,
          url: `${shapes.apiUrl}/repos/${state.record.owner}/${state.record.name}/commits/${r.oid}`,
        },
        protected: false,
      })),
    );
  });

  router.add(
    'GET',
    '/repos/:owner/:repo/branches/*branch',
    async ({ params }) => {
      const state = gh.repo(params);
      const sha = await state.git.resolve(`refs/heads/${params.branch}`);
      if (!sha)
        throw new GitHubApiError(
          404,
          'Branch not found',
          `${DOCS.replace('repos/repos', 'branches/branches')}#get-a-branch`,
        );
      return ok(
        shapes.branch(
          state.record,
          params.branch,
          sha,
          await gh.commitData(state, sha),
        ),
      );
    },
  );

  router.add('GET', '/repos/:owner/:repo/commits', async ({ params, url }) => {
    const state = gh.repo(params);
    const head = await gh.resolveCommit(
      state,
      url.searchParams.get('sha') ?? state.record.defaultBranch,
    );
    const perPage = Math.min(
      Number(url.searchParams.get('per_page') ?? 30),
      100,
    );
    const path = url.searchParams.get('path');
    const result = [];
    for (const entry of await state.git.log(head, path ? 200 : perPage)) {
      if (path) {
        const here = await state.git.entryAt(entry.oid, path);
        const parent = entry.commit.parent[0];
        const before = parent
          ? await state.git.entryAt(parent, path)
          : undefined;
        if (here?.oid === before?.oid) continue;
      }
      result.push(shapes.commit(state.record, entry.oid, entry.commit as any));
      if (result.length >= perPage) break;
    }
    return ok(result);
  });

  router.add(
    'GET',
    '/repos/:owner/:repo/commits/*ref',
    async ({ params, req }) => {
      const state = gh.repo(params);
      const sha = await gh.resolveCommit(state, params.ref);
      if (
        String(req.headers.accept ?? '').includes('application/vnd.github.sha')
      ) {
        return { status: 200, body: sha, headers: {} };
      }
      const data = await gh.commitData(state, sha);
      return ok(
        shapes.commit(
          state.record,
          sha,
          data,
          await changedFiles(gh, state, data.parent[0], sha),
        ),
      );
    },
  );

  router.add(
    'GET',
    '/repos/:owner/:repo/compare/*basehead',
    async ({ params }) => {
      const state = gh.repo(params);
      const [baseRef, headRef] = params.basehead.split('...');
      const base = await gh.resolveCommit(state, baseRef);
      const head = await gh.resolveCommit(state, headRef);
      const commits = [];
      for (const entry of await state.git.log(head, 250)) {
        if (await state.git.isAncestor(entry.oid, base)) break;
        commits.unshift(
          shapes.commit(state.record, entry.oid, entry.commit as any),
        );
      }
      const behind = (await state.git.isAncestor(base, head)) ? 0 : 1;
      return ok({
        url: `${shapes.apiUrl}/repos/${state.record.owner}/${state.record.name}/compare/${params.basehead}`,
        status: compareStatus(commits.length, behind),
        ahead_by: commits.length,
        behind_by: behind,
        total_commits: commits.length,
        base_commit: shapes.commit(
          state.record,
          base,
          await gh.commitData(state, base),
        ),
        commits,
        files: await changedFiles(gh, state, base, head),
      });
    },
  );
}

/** Files changed between two commits, shaped like GitHub's `files` entries. */
export async function changedFiles(
  gh: GitHubContext,
  state: ReturnType<GitHubContext['repo']>,
  from: string | undefined,
  to: string,
) {
  return (await state.git.changes(from, to)).map(change =>
    fileEntry(
      gh,
      state,
      change.path,
      (change.newOid ?? change.oldOid)!,
      change.status,
      to,
    ),
  );
}

function fileEntry(
  gh: GitHubContext,
  state: ReturnType<GitHubContext['repo']>,
  filename: string,
  sha: string,
  status: string,
  ref: string,
) {
  const full = `${state.record.owner}/${state.record.name}`;
  return {
    sha,
    filename,
    status,
    additions: status === 'removed' ? 0 : 1,
    deletions: status === 'added' ? 0 : 1,
    changes: status === 'modified' ? 2 : 1,
    blob_url: `${gh.shapes.webUrl}/${full}/blob/${ref}/${filename}`,
    raw_url: `${gh.shapes.webUrl}/${full}/raw/${ref}/${filename}`,
    contents_url: `${gh.shapes.apiUrl}/repos/${full}/contents/${filename}?ref=${ref}`,
  };
}

function compareStatus(ahead: number, behind: number): string {
  if (ahead === 0) return 'identical';
  return behind ? 'diverged' : 'ahead';
}
