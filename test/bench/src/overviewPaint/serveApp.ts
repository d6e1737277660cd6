import http from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { BundledApp } from './bundleApp';

/**
 * Serves the bundled app as a production app backend does (gzip, hashed chunks cached for good,
 * `index.html` for every page path) and forwards `/api` to the GitOps backend, so the page and
 * its API share one origin. Resolves with the origin.
 */
export async function serveApp(
  app: BundledApp,
  backendUrl: string,
): Promise<{ origin: string; close(): Promise<void> }> {
  const gzipped = new Map(
    [...app.files].map(([p, f]) => [p, { ...f, body: gzipSync(f.body) }]),
  );
  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/api/')) {
      const upstream = await fetch(`${backendUrl}${url}`, {
        method: req.method,
        headers: { accept: req.headers.accept ?? '*/*' },
      }).catch(() => new Response('backend unreachable', { status: 502 }));
      const body = Buffer.from(await upstream.arrayBuffer());
      const gzip = gzipSync(body);
      res.writeHead(upstream.status, {
        'content-type':
          upstream.headers.get('content-type') ?? 'application/json',
        'content-encoding': 'gzip',
        'content-length': gzip.byteLength,
      });
      res.end(gzip);
      return;
    }
    const filePath = url.split('?')[0];
    const file = gzipped.get(filePath) ?? gzipped.get('/index.html')!;
    res.writeHead(200, {
      'content-type': file.type,
      'content-encoding': 'gzip',
      'cache-control': gzipped.has(filePath)
        ? 'public, max-age=31536000, immutable'
        : 'no-cache',
    });
    res.end(file.body);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise(resolve => server.close(() => resolve())),
  };
}
