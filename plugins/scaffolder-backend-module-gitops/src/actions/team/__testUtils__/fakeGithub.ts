import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A repository of the fake GitHub: its branches with their file paths, or no commit at all. */
export interface FakeRepo {
  branches: Record<string, string[]> | 'empty';
  /** `permissions.push` of the token; undefined leaves `permissions` out, as for app tokens. */
  push?: boolean;
  /** Answers recursive listings of `clusters` as GitHub does for very large trees. */
  truncateClusters?: boolean;
}

/** One request the fake GitHub received. */
export interface FakeRequest {
  method: string;
  path: string;
  authorization?: string;
}

function entriesOf(
  branch: string,
  files: string[],
  dir: string,
  recursive: boolean,
) {
  const prefix = dir ? `${dir}/` : '';
  const entries = new Map<string, 'blob' | 'tree'>();
  for (const file of files.filter(f => f.startsWith(prefix))) {
    const parts = file.slice(prefix.length).split('/');
    const depth = recursive ? parts.length : 1;
    for (let i = 1; i <= depth; i++) {
      entries.set(
        parts.slice(0, i).join('/'),
        i === parts.length ? 'blob' : 'tree',
      );
    }
  }
  return [...entries].map(([path, type]) => ({
    path,
    type,
    mode: type === 'tree' ? '040000' : '100644',
    sha: `tree:${branch}:${prefix}${path}`,
  }));
}

/**
 * A GitHub Enterprise-style API (`/api/v3`) answering the reads `gitops:team:check` makes, from
 * file lists: repository metadata, branches and git trees (tree shas name the branch and folder). Any request
 * without the expected token gets 401, like GitHub.
 */
export async function startFakeGithub(options: {
  token: string;
  repos: Record<string, FakeRepo>;
}) {
  const requests: FakeRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://localhost');
    requests.push({
      method: req.method!,
      path: url.pathname,
      authorization: req.headers.authorization,
    });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    // GitHub takes a token under either scheme; the integration sends `Bearer`.
    const [scheme, credential] = (req.headers.authorization ?? '').split(' ');
    if (!/^(token|bearer)$/i.test(scheme) || credential !== options.token) {
      send(401, { message: 'Bad credentials' });
      return;
    }
    const match =
      /^\/api\/v3\/repos\/([^/]+)\/([^/]+)(?:\/(git\/trees|branches)\/(.+))?$/.exec(
        url.pathname,
      );
    const repo = match && options.repos[`${match[1]}/${match[2]}`];
    if (req.method !== 'GET' || !match || !repo) {
      send(404, { message: 'Not Found' });
      return;
    }
    if (!match[3]) {
      send(200, {
        name: match[2],
        full_name: `${match[1]}/${match[2]}`,
        default_branch: 'main',
        ...(repo.push === undefined
          ? {}
          : { permissions: { pull: true, push: repo.push } }),
      });
      return;
    }
    if (match[3] === 'branches') {
      const branch = decodeURIComponent(match[4]);
      if (repo.branches === 'empty' || !repo.branches[branch]) {
        send(404, { message: 'Branch not found' });
        return;
      }
      send(200, {
        name: branch,
        commit: {
          sha: `commit:${branch}`,
          commit: { tree: { sha: `tree:${branch}:` } },
        },
      });
      return;
    }
    if (repo.branches === 'empty') {
      send(409, { message: 'Git Repository is empty.' });
      return;
    }
    const sha = decodeURIComponent(match[4]);
    const recursive = url.searchParams.has('recursive');
    // A branch name for the root, tree:<branch>:<folder> below it.
    const subtree = /^tree:([^:]+):(.*)$/.exec(sha);
    const [branch, folder] = subtree ? [subtree[1], subtree[2]] : [sha, ''];
    const files = repo.branches[branch];
    if (!files) {
      send(404, { message: 'Not Found' });
      return;
    }
    const truncated =
      recursive && folder === 'clusters' && repo.truncateClusters === true;
    send(200, {
      sha,
      tree: entriesOf(branch, files, folder, recursive && !truncated),
      truncated,
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `localhost:${port}`,
    apiBaseUrl: `http://localhost:${port}/api/v3`,
    requests,
    close: () => new Promise<void>(resolve => server.close(() => resolve())),
  };
}
