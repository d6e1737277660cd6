import { GitHubApiError } from '../model';
import type { Router } from '../../util/router';
import { ApiHandler, GitHubContext, ok } from '../context';
import { sendTarball } from '../tarball';

const DOCS = 'https://docs.github.com/rest/repos/contents';

/** Contents API (JSON and raw), and tarball archives. */
export function registerContentRoutes(
  router: Router<ApiHandler>,
  gh: GitHubContext,
): void {
  const { store, shapes } = gh;

  router.add(
    'GET',
    '/repos/:owner/:repo/contents/*path',
    async ({ params, url, req, res }) => {
      const state = gh.repo(params);
      const ref = url.searchParams.get('ref') || state.record.defaultBranch;
      const sha = await state.git.resolve(ref);
      if (!sha)
        throw new GitHubApiError(
          404,
          `No commit found for the ref ${ref}`,
          `${DOCS}#get-repository-content`,
        );
      const path = params.path.replace(/^\/+|\/+$/g, '');
      const entry = await state.git.entryAt(sha, path);
      if (!entry)
        throw new GitHubApiError(
          404,
          'Not Found',
          `${DOCS}#get-repository-content`,
        );
      const accept = String(req.headers.accept ?? '');
      if (entry.type === 'tree') {
        const items = [];
        for (const child of await state.git.readTree(entry.oid)) {
          const childPath = path ? `${path}/${child.path}` : child.path;
          const size =
            child.type === 'blob'
              ? (await state.git.readBlob(child.oid)).length
              : 0;
          items.push(
            shapes.content(
              state.record,
              childPath,
              child.oid,
              ref,
              size,
              child.type === 'tree' ? 'dir' : 'file',
            ),
          );
        }
        return ok(items);
      }
      const content = await state.git.readBlob(entry.oid);
      if (
        accept.includes('application/vnd.github.raw') ||
        accept.includes('application/vnd.github.v3.raw')
      ) {
        res.writeHead(200, {
          'content-type': 'application/vnd.github.raw; charset=utf-8',
          'content-length': content.length,
          etag: `"${entry.oid}"`,
        });
        res.end(content);
        return undefined;
      }
      return ok(
        shapes.content(
          state.record,
          path,
          entry.oid,
          ref,
          content.length,
          'file',
          content,
        ),
      );
    },
  );

  router.add(
    'PUT',
    '/repos/:owner/:repo/contents/*path',
    async ({ params, body }) => {
      const state = gh.repo(params);
      const input = await body();
      const docs = `${DOCS}#create-or-update-file-contents`;
      const path = params.path.replace(/^\/+|\/+$/g, '');
      if (typeof input.message !== 'string')
        throw gh.validation(
          'Invalid request.\n\n"message" wasn\'t supplied.',
          docs,
        );
      if (typeof input.content !== 'string')
        throw gh.validation(
          'Invalid request.\n\n"content" wasn\'t supplied.',
          docs,
        );
      const branch = input.branch ?? state.record.defaultBranch;
      const parent = await state.git.resolve(`refs/heads/${branch}`);
      if (!parent && input.branch && (await gh.defaultHead(state))) {
        throw new GitHubApiError(404, `Branch ${branch} not found`, docs);
      }
      const existing = parent
        ? await state.git.entryAt(parent, path)
        : undefined;
      if (existing && !input.sha)
        throw gh.validation(
          'Invalid request.\n\n"sha" wasn\'t supplied.',
          docs,
        );
      if (existing && input.sha !== existing.oid) {
        throw new GitHubApiError(
          409,
          `${path} does not match ${input.sha}`,
          docs,
        );
      }
      if (!existing && input.sha)
        throw new GitHubApiError(
          409,
          `${path} does not match ${input.sha}`,
          docs,
        );
      const blob = await state.git.writeBlob(
        Buffer.from(input.content, 'base64'),
      );
      const baseTree = parent
        ? (await state.git.readCommit(parent)).tree
        : undefined;
      const tree = await state.git.writeTreeWith(
        baseTree,
        new Map([[path, { oid: blob }]]),
      );
      const who = (s: any) => ({
        name: s?.name ?? 'Sandbox Bot',
        email: s?.email ?? 'sandbox-bot@acme.example',
        timestamp: Math.floor(
          (s?.date ? Date.parse(s.date) : Date.now()) / 1000,
        ),
      });
      const commit = await state.git.writeCommit({
        message: input.message,
        tree,
        parents: parent ? [parent] : [],
        author: who(input.author ?? input.committer),
        committer: who(input.committer ?? input.author),
      });
      await store.updateRef(state, `refs/heads/${branch}`, commit, 'contents');
      store.countWrite(state);
      const size = Buffer.from(input.content, 'base64').length;
      return ok(
        {
          content: shapes.content(
            state.record,
            path,
            blob,
            branch,
            size,
            'file',
          ),
          commit: shapes.gitCommit(
            state.record,
            commit,
            await gh.commitData(state, commit),
          ),
        },
        existing ? 200 : 201,
      );
    },
  );

  const tarball: ApiHandler = async ({ params, res }) => {
    const state = gh.repo(params);
    const ref = params.ref || state.record.defaultBranch;
    const sha = await state.git.resolve(ref);
    if (!sha)
      throw new GitHubApiError(
        404,
        'Not Found',
        `${DOCS}#download-a-repository-archive-tar`,
      );
    await sendTarball(
      res,
      state.git.gitdir,
      state.record.owner,
      state.record.name,
      sha,
    );
    return undefined;
  };
  router.add('GET', '/repos/:owner/:repo/tarball/*ref', tarball);
  router.add('GET', '/repos/:owner/:repo/tarball', tarball);
}
