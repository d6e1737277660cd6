import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Faults } from '../faults/faults';

export type Request = http.IncomingMessage;
export type Response = http.ServerResponse;
export type Handler = (req: Request, res: Response) => void | Promise<void>;

export interface TlsMaterial {
  key: string;
  cert: string;
}

export async function readBody(
  req: Request,
  limit = 64 * 1024 * 1024,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson<T = any>(req: Request): Promise<T | undefined> {
  const body = await readBody(req);
  if (body.length === 0) return undefined;
  return JSON.parse(body.toString('utf8')) as T;
}

export function sendJson(
  res: Response,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {},
): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const [scheme, ...rest] = header.split(' ');
  const value = rest.join(' ').trim();
  if (/^bearer$/i.test(scheme) || /^token$/i.test(scheme)) return value;
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) : decoded;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export interface ManagedServerOptions {
  /** Fault target name, e.g. the instance name or `github`. */
  target: string;
  faults: Faults;
  tls?: TlsMaterial;
  handler: Handler;
  /** Answer for injected 5xx faults; defaults to a plain JSON error. */
  errorResponder?: (res: Response, status: number) => void;
}

/**
 * An HTTP(S) server with fault injection: latency, 5xx, and going down
 * (listener closed, or connections reset), driven by the shared {@link Faults}.
 */
export class ManagedServer {
  private server: http.Server;
  private readonly sockets = new Set<Socket>();
  private listening = false;
  private host = '127.0.0.1';
  port = 0;

  constructor(private readonly options: ManagedServerOptions) {
    const listener = (req: Request, res: Response) => this.handle(req, res);
    this.server = options.tls
      ? https.createServer(
          { key: options.tls.key, cert: options.tls.cert },
          listener,
        )
      : http.createServer(listener);
    this.server.keepAliveTimeout = 5000;
    // Track raw sockets so that `down` and `stop` can cut them.
    this.server.on('connection', (socket: Socket) => {
      if (this.options.faults.get(this.options.target).down === 'reset') {
        socket.destroy();
        return;
      }
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('clientError', (_err, socket) => socket.destroy());
    options.faults.on('change', this.onFaultChange);
  }

  private readonly onFaultChange = (target: string) => {
    if (target !== this.options.target) return;
    const down = this.options.faults.get(target).down;
    if (down) {
      this.destroySockets();
      if (down === 'refuse' && this.listening) {
        this.server.close();
        this.listening = false;
      }
    } else if (!this.listening && this.port) {
      this.listen(this.port, this.host).catch(() => undefined);
    }
  };

  private async handle(req: Request, res: Response): Promise<void> {
    const faults = this.options.faults.get(this.options.target);
    try {
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      const status = this.options.faults.takeServerError(this.options.target);
      if (status !== null) {
        req.resume();
        if (this.options.errorResponder)
          this.options.errorResponder(res, status);
        else
          sendJson(res, status, {
            message: http.STATUS_CODES[status] ?? 'error',
          });
        return;
      }
      await this.options.handler(req, res);
    } catch (error) {
      if (!res.headersSent) {
        sendJson(res, 500, {
          message: String((error as Error)?.message ?? error),
        });
      } else {
        res.destroy();
      }
    }
  }

  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    this.host = host;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        resolve();
      });
    });
    this.listening = true;
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  destroySockets(): void {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
  }

  async stop(): Promise<void> {
    this.options.faults.off('change', this.onFaultChange);
    this.destroySockets();
    if (!this.listening) return;
    this.listening = false;
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }
}

/** Splits a URL path into segments, decoding each. */
export function pathSegments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter(Boolean)
    .map(part => decodeURIComponent(part));
}
