import { spawn } from 'node:child_process';
import type { Request, Response } from '../util/http';

export const GIT_HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

/**
 * Serves git smart HTTP by delegating to `git http-backend` (CGI).
 * `pathInfo` is `/<owner>/<repo>.git/<rest>` relative to `projectRoot`.
 */
export function serveGitHttp(
  req: Request,
  res: Response,
  args: {
    projectRoot: string;
    pathInfo: string;
    query: string;
    user?: string;
    beforeEnd?: () => Promise<void>;
  },
): Promise<void> {
  return new Promise(resolve => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: args.projectRoot,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: args.pathInfo,
      QUERY_STRING: args.query,
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      ...(req.headers['content-length']
        ? { CONTENT_LENGTH: String(req.headers['content-length']) }
        : {}),
      REMOTE_ADDR: '127.0.0.1',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: args.projectRoot,
      ...(args.user ? { REMOTE_USER: args.user } : {}),
      ...(req.headers['content-encoding']
        ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) }
        : {}),
      ...(req.headers['git-protocol']
        ? { GIT_PROTOCOL: String(req.headers['git-protocol']) }
        : {}),
    };
    const child = spawn(GIT_HTTP_BACKEND, [], { env });
    req.pipe(child.stdin);
    child.stdin.on('error', () => undefined);
    let headerBuffer: Buffer = Buffer.alloc(0);
    let headersDone = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      headerBuffer = Buffer.concat([headerBuffer, chunk]);
      let end = headerBuffer.indexOf('\r\n\r\n');
      let sepLen = 4;
      if (end < 0) {
        end = headerBuffer.indexOf('\n\n');
        sepLen = 2;
      }
      if (end < 0) return;
      const head = headerBuffer.subarray(0, end).toString('utf8');
      const body = headerBuffer.subarray(end + sepLen);
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = parseInt(value, 10);
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      headersDone = true;
      if (body.length) res.write(body);
    });
    child.stderr.on('data', () => undefined);
    child.on('close', async () => {
      // Let the caller observe ref changes before the client sees the push complete.
      await args.beforeEnd?.().catch(() => undefined);
      if (!headersDone) res.writeHead(500).end('git http-backend failed');
      else res.end();
      resolve();
    });
  });
}
