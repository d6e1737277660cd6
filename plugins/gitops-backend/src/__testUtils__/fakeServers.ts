import http from 'node:http';
import { AddressInfo } from 'node:net';

/** A tiny HTTP server for tests; `handler` may be swapped while it runs. */
export async function startFakeServer(handler: http.RequestListener): Promise<{
  url: string;
  server: http.Server;
  setHandler(h: http.RequestListener): void;
  close(): Promise<void>;
}> {
  let current = handler;
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => current(req, res));
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    setHandler: h => {
      current = h;
    },
    close: () =>
      new Promise<void>(resolve => {
        sockets.forEach(s => s.destroy());
        server.close(() => resolve());
      }),
  };
}

/** Serves Argo CD's list and stream endpoints from an in-memory list of Applications. */
export function fakeArgoCd(state: {
  apps: any[];
  token: string;
  streams?: http.ServerResponse[];
}): http.RequestListener {
  return (req, res) => {
    if (req.headers.authorization !== `Bearer ${state.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'invalid session' }));
      return;
    }
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/api/v1/applications') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          metadata: { resourceVersion: '100' },
          items: state.apps,
        }),
      );
      return;
    }
    if (url.pathname === '/api/v1/stream/applications') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      state.streams?.push(res);
      return;
    }
    const single = /^\/api\/v1\/applications\/([^/]+)$/.exec(url.pathname);
    if (single) {
      const app = state.apps.find(a => a.metadata.name === single[1]);
      res.writeHead(app ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(app ?? { message: 'not found' }));
      return;
    }
    res.writeHead(404);
    res.end();
  };
}

/** Sends one event on an Argo CD application stream. */
export function sendStreamEvent(
  res: http.ServerResponse,
  type: string,
  application: any,
) {
  res.write(`data: ${JSON.stringify({ result: { type, application } })}\n\n`);
}

/** Serves GitHub's contents API from a map of `owner/repo/path` to file content. */
export function fakeGithub(
  files: Record<string, string>,
  calls: string[] = [],
): http.RequestListener {
  return (req, res) => {
    calls.push(req.url!);
    const match = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\/contents\/([^?]+)/.exec(
      req.url!,
    );
    const key =
      match && `${match[1]}/${match[2]}/${decodeURIComponent(match[3])}`;
    const content = key ? files[key] : undefined;
    if (content === undefined) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Not Found' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        type: 'file',
        path: match![3],
        sha: Buffer.from(content).toString('hex').slice(0, 40).padEnd(40, '0'),
        content: Buffer.from(content).toString('base64'),
        encoding: 'base64',
      }),
    );
  };
}
