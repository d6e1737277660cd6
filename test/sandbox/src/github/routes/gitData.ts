import type { Router } from '../../util/router';
import { ApiHandler, GitHubContext, ok } from '../context';
import { FileChange, TreeEntry } from '../gitRepo';
import { GitHubApiError } from '../model';
import { atomically } from '../atomically';

const DOCS = 'https://docs.github.com/rest/git';

const normalizeRef = (ref: string) =>
  ref.startsWith('refs/') ? ref : `refs/${ref}`;

/** Git database API: refs, blobs, trees, commits. */
export function registerGitDataRoutes(
  router: Router<ApiHandler>,
  gh: GitHubContext,
): void {
  const { store, shapes } = gh;

  const listRefs: ApiHandler = async ({ params }) => {
    const state = gh.repo(params);
    const prefix = params.ref ? normalizeRef(params.ref) : 'refs/';
    const refs = (await state.git.refs()).filter(r => r.ref.startsWith(prefix));
    return ok(refs.map(r => shapes.ref(state.record, r.ref, r.oid)));
  };
  router.add('GET', '/repos/:owner/:repo/git/matching-refs/*ref', listRefs);
  router.add('GET', '/repos/:owner/:repo/git/refs', listRefs);

  const getRef: ApiHandler = async ({ params }) => {
    const state = gh.repo(params);
    const ref = normalizeRef(params.ref);
    const found = (await state.git.refs()).find(r => r.ref === ref);
    if (!found) {
      // The legacy /git/refs/{prefix} lists matching refs.
      const matching = (await state.git.refs()).filter(r =>
        r.ref.startsWith(`${ref}/`),
      );
      if (matching.length)
        return ok(matching.map(r => shapes.ref(state.record, r.ref, r.oid)));
      throw new GitHubApiError(
        404,
        'Not Found',
        `${DOCS}/refs#get-a-reference`,
      );
    }
    return ok(shapes.ref(state.record, found.ref, found.oid));
  };
  router.add('GET', '/repos/:owner/:repo/git/ref/*ref', getRef);
  router.add('GET', '/repos/:owner/:repo/git/refs/*ref', getRef);

  router.add(
    'POST',
    '/repos/:owner/:repo/git/refs',
    async ({ params, body }) => {
      const state = gh.repo(params);
      const { ref, sha } = await body();
      const docs = `${DOCS}/refs#create-a-reference`;
      if (
        typeof ref !== 'string' ||
        !ref.startsWith('refs/') ||
        ref.split('/').length < 3
      ) {
        throw gh.validation(`${ref} is not a valid ref name.`, docs);
      }
      if (typeof sha !== 'string' || !(await state.git.exists(sha)))
        throw gh.validation('Object does not exist', docs);
      return atomically(state.record, async () => {
        if (await state.git.resolve(ref))
          throw gh.validation('Reference already exists', docs);
        await store.updateRef(state, ref, sha, 'api');
        store.countWrite(state);
        return ok(shapes.ref(state.record, ref, sha), 201);
      });
    },
  );

  router.add(
    'PATCH',
    '/repos/:owner/:repo/git/refs/*ref',
    async ({ params, body }) => {
      const state = gh.repo(params);
      const { sha, force } = await body();
      const ref = normalizeRef(params.ref);
      const docs = `${DOCS}/refs#update-a-reference`;
      if (typeof sha !== 'string' || !(await state.git.exists(sha)))
        throw gh.validation('Object does not exist', docs);
      return atomically(state.record, async () => {
        const current = await state.git.resolve(ref);
        if (!current) throw gh.validation('Reference does not exist', docs);
        if (!force && !(await state.git.isAncestor(current, sha)))
          throw gh.validation('Update is not a fast forward', docs);
        await store.updateRef(state, ref, sha, 'api');
        store.countWrite(state);
        return ok(shapes.ref(state.record, ref, sha));
      });
    },
  );

  router.add(
    'DELETE',
    '/repos/:owner/:repo/git/refs/*ref',
    async ({ params }) => {
      const state = gh.repo(params);
      const ref = normalizeRef(params.ref);
      if (!(await state.git.resolve(ref)))
        throw gh.validation(
          'Reference does not exist',
          `${DOCS}/refs#delete-a-reference`,
        );
      await store.updateRef(state, ref, null, 'api');
      store.countWrite(state);
      return { status: 204, body: undefined };
    },
  );

  router.add(
    'POST',
    '/repos/:owner/:repo/git/blobs',
    async ({ params, body }) => {
      const state = gh.repo(params);
      const { content, encoding = 'utf-8' } = await body();
      if (typeof content !== 'string') {
        throw gh.validation(
          'Invalid request.\n\n"content" wasn\'t supplied.',
          `${DOCS}/blobs#create-a-blob`,
        );
      }
      const sha = await state.git.writeBlob(
        Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8'),
      );
      store.countWrite(state);
      return ok(
        {
          url: `${shapes.apiUrl}/repos/${state.record.owner}/${state.record.name}/git/blobs/${sha}`,
          sha,
        },
        201,
      );
    },
  );

  router.add(
    'GET',
    '/repos/:owner/:repo/git/blobs/:sha',
    async ({ params }) => {
      const state = gh.repo(params);
      if ((await state.git.objectType(params.sha)) !== 'blob')
        throw new GitHubApiError(404, 'Not Found', `${DOCS}/blobs#get-a-blob`);
      const content = await state.git.readBlob(params.sha);
      return ok({
        sha: params.sha,
        node_id: shapes.nodeId('Blob', params.sha),
        size: content.length,
        url: `${shapes.apiUrl}/repos/${state.record.owner}/${state.record.name}/git/blobs/${params.sha}`,
        content: content.toString('base64').replace(/(.{60})/g, '$1\n'),
        encoding: 'base64',
      });
    },
  );

  const treeBody = (
    state: ReturnType<GitHubContext['repo']>,
    sha: string,
    entries: TreeEntry[],
    truncated = false,
  ) => {
    const base = `${shapes.apiUrl}/repos/${state.record.owner}/${state.record.name}/git`;
    return {
      sha,
      url: `${base}/trees/${sha}`,
      tree: entries.map(e => ({
        path: e.path,
        mode: e.mode,
        type: e.type,
        sha: e.oid,
        ...(e.type === 'blob' ? { size: 0 } : {}),
        url: `${base}/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.oid}`,
      })),
      truncated,
    };
  };

  router.add(
    'GET',
    '/repos/:owner/:repo/git/trees/*sha',
    async ({ params, url }) => {
      const state = gh.repo(params);
      let sha = (await state.git.resolve(params.sha)) ?? params.sha;
      const type = await state.git.objectType(sha);
      if (type === 'commit') sha = (await state.git.readCommit(sha)).tree;
      else if (type !== 'tree')
        throw new GitHubApiError(404, 'Not Found', `${DOCS}/trees#get-a-tree`);
      const recursive =
        url.searchParams.has('recursive') &&
        !['0', 'false'].includes(url.searchParams.get('recursive')!);
      const entries = recursive
        ? await state.git.readTreeRecursive(sha)
        : await state.git.readTree(sha);
      const body = treeBody(state, sha, entries);
      for (const item of body.tree) {
        if (item.type === 'blob')
          (item as { size?: number }).size = (
            await state.git.readBlob(item.sha)
          ).length;
      }
      return ok(body);
    },
  );

  router.add(
    'POST',
    '/repos/:owner/:repo/git/trees',
    async ({ params, body }) => {
      const state = gh.repo(params);
      const { tree, base_tree: baseTree } = await body();
      const docs = `${DOCS}/trees#create-a-tree`;
      if (!Array.isArray(tree)) throw gh.validation('Invalid tree info', docs);
      if (baseTree && (await state.git.objectType(baseTree)) !== 'tree') {
        if ((await state.git.objectType(baseTree)) === undefined)
          throw gh.validation('Invalid tree info', docs);
      }
      const changes = new Map<string, FileChange>();
      for (const item of tree) {
        if (typeof item.path !== 'string' || !item.path)
          throw gh.validation('Invalid tree info', docs);
        if (item.sha === null) {
          changes.set(item.path, null);
        } else if (typeof item.content === 'string') {
          changes.set(item.path, {
            oid: await state.git.writeBlob(Buffer.from(item.content)),
            mode: item.mode ?? '100644',
          });
        } else if (typeof item.sha === 'string') {
          if (!(await state.git.exists(item.sha)))
            throw gh.validation('Invalid tree info', docs, [
              { message: `sha ${item.sha} not found` },
            ]);
          changes.set(item.path, {
            oid: item.sha,
            mode: item.type === 'tree' ? '040000' : item.mode ?? '100644',
          });
        } else {
          throw gh.validation('Invalid tree info', docs);
        }
      }
      let base: string | undefined = baseTree;
      if (base && (await state.git.objectType(base)) === 'commit')
        base = (await state.git.readCommit(base)).tree;
      const sha = await state.git.writeTreeWith(base, changes);
      store.countWrite(state);
      return ok(treeBody(state, sha, await state.git.readTree(sha)), 201);
    },
  );

  router.add(
    'POST',
    '/repos/:owner/:repo/git/commits',
    async ({ params, body }) => {
      const state = gh.repo(params);
      const input = await body();
      const docs = `${DOCS}/commits#create-a-commit`;
      if (typeof input.message !== 'string')
        throw gh.validation(
          'Invalid request.\n\n"message" wasn\'t supplied.',
          docs,
        );
      if (
        typeof input.tree !== 'string' ||
        (await state.git.objectType(input.tree)) !== 'tree'
      )
        throw gh.validation('Tree SHA does not exist', docs);
      const parents: string[] = input.parents ?? [];
      for (const parent of parents) {
        if ((await state.git.objectType(parent)) !== 'commit')
          throw gh.validation(
            'Parent SHA does not exist or is not a commit object',
            docs,
          );
      }
      const sig = (s: any) => ({
        name: s?.name ?? 'Sandbox Bot',
        email: s?.email ?? 'sandbox-bot@acme.example',
        timestamp: Math.floor(
          (s?.date ? Date.parse(s.date) : Date.now()) / 1000,
        ),
      });
      const sha = await state.git.writeCommit({
        message: input.message,
        tree: input.tree,
        parents,
        author: sig(input.author),
        committer: sig(input.committer ?? input.author),
      });
      store.countWrite(state);
      return ok(
        shapes.gitCommit(state.record, sha, await gh.commitData(state, sha)),
        201,
      );
    },
  );

  router.add(
    'GET',
    '/repos/:owner/:repo/git/commits/:sha',
    async ({ params }) => {
      const state = gh.repo(params);
      if ((await state.git.objectType(params.sha)) !== 'commit')
        throw new GitHubApiError(
          404,
          'Not Found',
          `${DOCS}/commits#get-a-commit-object`,
        );
      return ok(
        shapes.gitCommit(
          state.record,
          params.sha,
          await gh.commitData(state, params.sha),
        ),
      );
    },
  );
}
