import { URL } from 'node:url';
import type { Faults } from '../faults/faults';
import {
  bearerToken,
  ManagedServer,
  Request,
  Response,
  sendJson,
} from '../util/http';
import { Router } from '../util/router';
import { ApiHandler, GitHubContext, parseBody, send } from './context';
import { serveGitHttp } from './gitHttp';
import { GitHubGraphql } from './graphql';
import { GitHubApiError } from './model';
import { RateLimiter, SecondaryRateLimit } from './rateLimit';
import { registerContentRoutes } from './routes/contents';
import { registerGitDataRoutes } from './routes/gitData';
import { registerCheckRoutes } from './routes/checks';
import { registerPullRoutes } from './routes/pulls';
import { registerRepoRoutes } from './routes/repos';
import { Shapes } from './shapes';
import type { GitHubStore } from './store';
import { GitHubWebPages } from './web/webPages';

export interface GitHubServerOptions {
  store: GitHubStore;
  faults: Faults;
  /** Accepted tokens (API bearer/token auth, and git basic-auth password). */
  tokens: string[];
  /** Public base URL, e.g. http://localhost:7480 (fixed for the sample world so repoURLs match). */
  webUrl?: string;
  /** Fault target name (default `github`). */
  target?: string;
}

/**
 * GitHub Enterprise-style REST API at `/api/v3`, git smart HTTP at
 * `/{owner}/{repo}.git`, raw files at `/{owner}/{repo}/raw/{ref}/{path}`, and web pages
 * (repository, pull request with a Merge button, file and commit views) at the `html_url`s.
 */
export class GitHubServer {
  private readonly http: ManagedServer;
  private readonly router = new Router<ApiHandler>();
  private readonly context: GitHubContext;
  readonly rateLimits = new RateLimiter();
  /** Armed by tests to answer writes with GitHub's secondary rate limit. */
  readonly secondaryRateLimit = new SecondaryRateLimit();
  /** Requests per route template, e.g. `GET /repos/:owner/:repo/contents/*path`. */
  readonly requestsByRoute = new Map<string, number>();
  private readonly shapes: Shapes;
  private readonly graphql: GitHubGraphql;
  private readonly webPages: GitHubWebPages;

  constructor(private readonly options: GitHubServerOptions) {
    this.shapes = new Shapes(options.webUrl ?? 'http://localhost:7480');
    this.context = new GitHubContext(options.store, this.shapes);
    registerCheckRoutes(this.router, this.context);
    registerRepoRoutes(this.router, this.context);
    registerGitDataRoutes(this.router, this.context);
    registerContentRoutes(this.router, this.context);
    registerPullRoutes(this.router, this.context);
    this.graphql = new GitHubGraphql(options.store, () => this.shapes);
    this.webPages = new GitHubWebPages(options.store, () => this.webUrl);
    this.http = new ManagedServer({
      target: options.target ?? 'github',
      faults: options.faults,
      handler: (req, res) => this.handle(req, res),
      errorResponder: (res, status) =>
        sendJson(res, status, {
          message: status === 503 ? 'Service Unavailable' : 'Server Error',
          documentation_url: 'https://docs.github.com/rest',
        }),
    });
  }

  get port(): number {
    return this.http.port;
  }

  get webUrl(): string {
    return this.shapes.webUrl;
  }

  get apiUrl(): string {
    return this.shapes.apiUrl;
  }

  async start(port = 0): Promise<number> {
    const actual = await this.http.listen(port);
    if (!this.options.webUrl) {
      this.shapes.webUrl = `http://localhost:${actual}`;
    }
    return actual;
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  requestCounts(): Record<string, number> {
    return Object.fromEntries([...this.requestsByRoute.entries()].sort());
  }

  resetCounters(): void {
    this.requestsByRoute.clear();
    this.rateLimits.reset();
    this.secondaryRateLimit.reset();
  }

  private count(route: string) {
    this.requestsByRoute.set(route, (this.requestsByRoute.get(route) ?? 0) + 1);
  }

  private isTokenValid(token: string | undefined): boolean {
    const faults = this.options.faults.get(this.options.target ?? 'github');
    return (
      token !== undefined &&
      this.options.tokens.includes(token) &&
      !faults.tokenExpired
    );
  }

  private async handle(req: Request, res: Response): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (path === '/api/v3' || path.startsWith('/api/v3/')) {
      await this.handleApi(req, res, url, path.slice('/api/v3'.length) || '/');
      return;
    }
    if (path === '/api/graphql') {
      this.count(`${req.method} /api/graphql`);
      await this.handleGraphql(req, res);
      return;
    }
    const gitMatch =
      /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/.exec(
        path,
      );
    if (gitMatch) {
      this.count(`GIT ${gitMatch[3]}`);
      await this.handleGit(
        req,
        res,
        url,
        gitMatch[1],
        gitMatch[2],
        gitMatch[3],
      );
      return;
    }
    const rawMatch = /^\/([^/]+)\/([^/]+)\/raw\/([^/]+)\/(.+)$/.exec(path);
    if (rawMatch) {
      this.count('GET /:owner/:repo/raw/:ref/*path');
      const state = this.options.store.find(rawMatch[1], rawMatch[2]);
      const content = state
        ? await state.git.readFile(
            decodeURIComponent(rawMatch[3]),
            decodeURIComponent(rawMatch[4]),
          )
        : undefined;
      if (!content)
        res
          .writeHead(404, { 'content-type': 'text/plain' })
          .end('404: Not Found');
      else
        res
          .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
          .end(content);
      return;
    }
    if (await this.webPages.handle(req, res, path)) return;
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  }

  private async handleApi(
    req: Request,
    res: Response,
    url: URL,
    path: string,
  ): Promise<void> {
    const token = bearerToken(req);
    const baseHeaders = {
      'x-github-media-type': 'github.v3; format=json',
      'x-github-enterprise-version': '3.17.0',
    };
    if (token !== undefined && !this.isTokenValid(token)) {
      this.count('401');
      req.resume();
      sendJson(
        res,
        401,
        {
          message: 'Bad credentials',
          documentation_url: 'https://docs.github.com/rest',
          status: '401',
        },
        { ...baseHeaders, ...this.rateLimits.take(undefined, false) },
      );
      return;
    }
    if (path === '/rate_limit') {
      this.count('GET /rate_limit');
      sendJson(res, 200, this.rateLimits.overview(token), {
        ...baseHeaders,
        ...this.rateLimits.take(token, false),
      });
      return;
    }
    const method = req.method ?? 'GET';
    const match = this.router.match(method, path);
    const rateHeaders = this.rateLimits.take(token);
    const headers = { ...baseHeaders, ...rateHeaders };
    if (match === undefined || match === 'method-not-allowed') {
      this.count(`${method} (unmatched)`);
      req.resume();
      sendJson(
        res,
        404,
        {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
          status: '404',
        },
        headers,
      );
      return;
    }
    this.count(match.template);
    if (!token && method !== 'GET' && method !== 'HEAD') {
      req.resume();
      sendJson(
        res,
        401,
        {
          message: 'Requires authentication',
          documentation_url: 'https://docs.github.com/rest',
          status: '401',
        },
        headers,
      );
      return;
    }
    const limited =
      method !== 'GET' && method !== 'HEAD'
        ? this.secondaryRateLimit.take(match.template)
        : undefined;
    if (limited) {
      this.count('secondary rate limit');
      req.resume();
      sendJson(res, limited.status, limited.body, {
        ...headers,
        ...limited.headers,
      });
      return;
    }
    for (const [name, value] of Object.entries(headers))
      res.setHeader(name, value);
    try {
      const result = await match.handler({
        req,
        res,
        url,
        params: match.params,
        token: token ?? '',
        body: () => parseBody(req),
      });
      if (!result) return;
      if (result.status === 204) {
        res.writeHead(204).end();
      } else if (typeof result.body === 'string') {
        res
          .writeHead(result.status, {
            'content-type': 'application/vnd.github.sha; charset=utf-8',
          })
          .end(result.body);
      } else {
        send(res, result, {});
      }
    } catch (error) {
      if (error instanceof GitHubApiError) {
        sendJson(res, error.status, {
          message: error.message,
          ...(error.errors ? { errors: error.errors } : {}),
          documentation_url: error.documentationUrl,
          status: String(error.status),
        });
      } else {
        throw error;
      }
    }
  }

  /** GitHub Enterprise serves GraphQL at `/api/graphql`, beside the REST API at `/api/v3`. */
  private async handleGraphql(req: Request, res: Response): Promise<void> {
    const token = bearerToken(req);
    if (!this.isTokenValid(token)) {
      req.resume();
      sendJson(res, 401, {
        message: 'This endpoint requires you to be authenticated.',
        documentation_url:
          'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
      });
      return;
    }
    if (req.method !== 'POST') {
      req.resume();
      sendJson(res, 404, {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/graphql',
      });
      return;
    }
    let body: any;
    try {
      body = await parseBody(req);
    } catch {
      sendJson(res, 400, {
        message: 'Problems parsing JSON',
        documentation_url: 'https://docs.github.com/graphql',
      });
      return;
    }
    sendJson(
      res,
      200,
      await this.graphql.execute(body),
      this.rateLimits.take(token),
    );
  }

  private async handleGit(
    req: Request,
    res: Response,
    url: URL,
    owner: string,
    repo: string,
    action: string,
  ): Promise<void> {
    const state = this.options.store.find(owner, repo);
    if (!state) {
      req.resume();
      res
        .writeHead(404, { 'content-type': 'text/plain' })
        .end('Repository not found.');
      return;
    }
    const token = bearerToken(req);
    const pushing =
      action === 'git-receive-pack' ||
      url.searchParams.get('service') === 'git-receive-pack';
    const authorized = this.isTokenValid(token);
    if (
      (pushing || state.record.private || token !== undefined) &&
      !authorized
    ) {
      req.resume();
      res
        .writeHead(401, {
          'www-authenticate': 'Basic realm="GitHub"',
          'content-type': 'text/plain',
        })
        .end('Invalid username or token.');
      return;
    }
    const before =
      pushing && action === 'git-receive-pack'
        ? await state.git.refs()
        : undefined;
    const detectPush = async () => {
      if (!before) return;
      const after = await state.git.refs();
      const refs = new Set([
        ...before.map(r => r.ref),
        ...after.map(r => r.ref),
      ]);
      let changed = 0;
      for (const ref of refs) {
        const from = before.find(r => r.ref === ref)?.oid ?? null;
        const to = after.find(r => r.ref === ref)?.oid ?? null;
        if (from !== to) {
          changed++;
          this.options.store.notifyRefChange(state, ref, from, to, 'git');
        }
      }
      if (changed) this.options.store.countWrite(state);
    };
    await serveGitHttp(req, res, {
      projectRoot: this.options.store.root,
      pathInfo: `/${state.record.owner}/${state.record.name}.git/${action}`,
      query: url.search.replace(/^\?/, ''),
      user: authorized ? 'x-access-token' : undefined,
      beforeEnd: detectPush,
    });
  }
}
