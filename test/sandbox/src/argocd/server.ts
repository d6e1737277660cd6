import { URL } from 'node:url';
import type { Faults } from '../faults/faults';
import {
  LabelSelectorError,
  matchesLabels,
  parseLabelSelector,
  Requirement,
} from '../kube/labelSelector';
import type { ClusterStore, KubeObject, StoreEvent } from '../kube/store';
import {
  bearerToken,
  ManagedServer,
  pathSegments,
  Request,
  Response,
  sendJson,
  TlsMaterial,
} from '../util/http';
import { filterResponse } from './fields';
import { managedResources, renderedManifests, resourceTree } from './resources';
import { ArgoCdSessions } from './sessions';

/** What an Argo CD API token may see. */
export interface ArgoCdGrant {
  subject: string;
  /** Projects visible to the token; undefined means all. */
  projects?: string[];
}

export interface RevisionMetadata {
  author: string;
  date: string;
  message: string;
  tags?: string[];
}

export interface ArgoCdServerOptions {
  /** Instance name (also the fault target). */
  name: string;
  store: ClusterStore;
  faults: Faults;
  tls: TlsMaterial;
  tokens: Record<string, ArgoCdGrant>;
  /**
   * Local accounts (username → password) that may open a session with
   * `POST /api/v1/session`; their session tokens see every project.
   */
  accounts?: Record<string, string>;
  /** Lifetime of a session token in seconds (default 24 h, as Argo CD's). */
  sessionSeconds?: number;
  /** Namespace of the control plane (default `argocd`). */
  namespace?: string;
  /** Clusters this instance manages, for `/api/v1/clusters`. */
  clusters?: { name: string; server: string }[];
  revisionMetadata?: (
    repoUrl: string,
    revision: string,
  ) => Promise<RevisionMetadata | undefined>;
  /**
   * Renders `GET /api/v1/applications/{name}/manifests` at a revision (`{ manifests }`, JSON
   * strings); by default the target state of the Application's resources.
   */
  manifests?: (
    app: KubeObject,
    revision?: string,
  ) => Promise<{ manifests: string[] } | undefined>;
  /** Called by `POST /api/v1/applications/{name}/sync`. */
  onSync?: (app: KubeObject, revision?: string) => Promise<void>;
}

/** gRPC codes as Argo CD's grpc-gateway reports them. */
const CODES = {
  401: 16,
  403: 7,
  404: 5,
  400: 3,
  500: 13,
  503: 14,
  502: 14,
} as Record<number, number>;

const argoError = (
  res: Response,
  status: number,
  message: string,
  code = CODES[status] ?? 2,
) => sendJson(res, status, { error: message, code, message });

/**
 * Argo CD API server stand-in (the REST face of grpc-gateway) reading the
 * Applications of one instance from its {@link ClusterStore}.
 */
export class ArgoCdServer {
  private readonly http: ManagedServer;
  private readonly streams = new Set<() => void>();
  private readonly sessions: ArgoCdSessions;

  constructor(private readonly options: ArgoCdServerOptions) {
    this.sessions = new ArgoCdSessions(
      options.accounts ?? {},
      options.sessionSeconds,
    );
    this.http = new ManagedServer({
      target: options.name,
      faults: options.faults,
      tls: options.tls,
      handler: (req, res) => this.handle(req, res),
      errorResponder: (res, status) =>
        argoError(
          res,
          status,
          status === 503 ? 'service unavailable' : 'internal error',
        ),
    });
    options.faults.on('change', this.onFaultChange);
  }

  get url(): string {
    return `https://localhost:${this.http.port}`;
  }

  get port(): number {
    return this.http.port;
  }

  start(port = 0): Promise<number> {
    return this.http.listen(port);
  }

  async stop(): Promise<void> {
    this.options.faults.off('change', this.onFaultChange);
    this.closeStreams();
    await this.http.stop();
  }

  closeStreams(): number {
    const count = this.streams.size;
    for (const close of [...this.streams]) close();
    return count;
  }

  /** How many sessions `POST /api/v1/session` opened. */
  sessionsOpened(): number {
    return this.sessions.count;
  }

  /**
   * Replaces an accepted token by a new one with the same grant, as an operator rotating the
   * account's token does: the old one is rejected (401) from now on.
   */
  rotateToken(from: string, to: string): void {
    const grant = this.options.tokens[from];
    if (!grant) throw new Error(`${this.options.name} does not accept ${from}`);
    delete this.options.tokens[from];
    this.options.tokens[to] = grant;
  }

  private readonly onFaultChange = (target: string) => {
    if (target === this.options.name && this.options.faults.get(target).down)
      this.closeStreams();
  };

  private get namespace() {
    return this.options.namespace ?? 'argocd';
  }

  private visible(grant: ArgoCdGrant, app: KubeObject): boolean {
    return !grant.projects || grant.projects.includes(app.spec?.project);
  }

  private async handle(req: Request, res: Response): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    const s = pathSegments(url.pathname);
    if (url.pathname === '/api/version') {
      sendJson(res, 200, {
        Version: 'v2.13.3+sandbox',
        BuildDate: '2025-01-01T00:00:00Z',
        GitCommit: '0000000000000000000000000000000000000000',
        GitTreeState: 'clean',
        GoVersion: 'go1.23.1',
        Compiler: 'gc',
        Platform: 'linux/amd64',
        KustomizeVersion: 'v5.4.3',
        HelmVersion: 'v3.15.4',
        KubectlVersion: 'v0.31.0',
      });
      return;
    }
    if (url.pathname === '/healthz') {
      res.writeHead(200).end('ok');
      return;
    }
    if (url.pathname === '/api/v1/session' && req.method === 'POST') {
      const body = await readJsonSafe(req);
      const session = this.sessions.create(body?.username, body?.password);
      if ('error' in session) argoError(res, 401, session.error);
      else sendJson(res, 200, session);
      return;
    }
    const token = bearerToken(req) ?? cookieToken(req);
    if (!token) {
      argoError(res, 401, 'no session information');
      return;
    }
    const session = this.sessions.find(token);
    const grant: ArgoCdGrant | undefined =
      this.options.tokens[token] ??
      (session ? { subject: session.subject } : undefined);
    if (
      !grant ||
      session?.expired ||
      this.options.faults.get(this.options.name).tokenExpired
    ) {
      argoError(
        res,
        401,
        grant
          ? 'invalid session: token has invalid claims: token is expired'
          : 'invalid session: token signature is invalid',
      );
      return;
    }
    if (this.options.faults.get(this.options.name).forbidden) {
      argoError(
        res,
        403,
        `permission denied: applications, list, */*, sub: ${grant.subject}`,
      );
      return;
    }
    try {
      await this.route(req, res, url, s, grant);
    } catch (error) {
      if (!(error instanceof LabelSelectorError)) throw error;
      // Argo CD wraps the parse error in a plain Go error (fmt.Errorf), which gRPC reports as
      // Unknown (code 2) and grpc-gateway as HTTP 500.
      argoError(
        res,
        500,
        `${
          s[2] === 'stream'
            ? 'error parsing labels with selectors'
            : 'error parsing the selector'
        }: ${error.message}`,
        2,
      );
    }
  }

  private async route(
    req: Request,
    res: Response,
    url: URL,
    s: string[],
    grant: ArgoCdGrant,
  ) {
    const q = url.searchParams;
    const method = req.method ?? 'GET';
    if (s[0] !== 'api' || s[1] !== 'v1')
      return argoError(res, 404, 'Not Found');
    const rest = s.slice(2);
    if (rest[0] === 'session' && rest[1] === 'userinfo') {
      return sendJson(res, 200, {
        loggedIn: true,
        username: grant.subject,
        iss: 'argocd',
        groups: [],
      });
    }
    if (rest[0] === 'clusters' && rest.length === 1) {
      return sendJson(res, 200, {
        metadata: {},
        items: (this.options.clusters ?? []).map(c => ({
          server: c.server,
          name: c.name,
          config: { tlsClientConfig: { insecure: false } },
          connectionState: {
            status: 'Successful',
            message: '',
            attemptedAt: new Date().toISOString(),
          },
          info: {
            connectionState: { status: 'Successful' },
            serverVersion: '1.31',
            applicationsCount: this.options.store
              .all()
              .filter(
                a =>
                  a.spec?.destination?.name === c.name ||
                  a.spec?.destination?.server === c.server,
              ).length,
          },
        })),
      });
    }
    if (
      rest[0] === 'stream' &&
      rest[1] === 'applications' &&
      rest.length === 2
    ) {
      return this.stream(req, res, q, grant);
    }
    if (rest[0] !== 'applications') return argoError(res, 404, 'Not Found');
    if (rest.length === 1) {
      if (method !== 'GET') return argoError(res, 404, 'Not Found');
      const selector = parseLabelSelector(q.get('selector'));
      const items = this.matching(q, selector, grant);
      const body = {
        metadata: { resourceVersion: this.options.store.resourceVersion },
        items: items.map(toApiObject),
      };
      return sendJson(res, 200, filterResponse(body, q.getAll('fields')));
    }
    const name = rest[1];
    const appNamespace = q.get('appNamespace') || this.namespace;
    const app = this.getAppEnforceRBAC(res, grant, q, appNamespace, name);
    if (!app) return undefined;
    const sub = rest.slice(2);
    if (sub.length === 0 && method === 'GET')
      return sendJson(
        res,
        200,
        filterResponse(toApiObject(app), q.getAll('fields')),
      );
    if (sub[0] === 'resource-tree')
      return sendJson(res, 200, resourceTree(app));
    if (sub[0] === 'managed-resources')
      return sendJson(res, 200, managedResources(app));
    if (sub[0] === 'manifests' && method === 'GET')
      return sendJson(
        res,
        200,
        (await this.options.manifests?.(app, q.get('revision') ?? undefined)) ??
          renderedManifests(app),
      );
    if (sub[0] === 'revisions' && sub[2] === 'metadata') {
      const meta = await this.options.revisionMetadata?.(
        app.spec?.source?.repoURL,
        sub[1],
      );
      if (!meta) return argoError(res, 404, `revision ${sub[1]} not found`);
      return sendJson(res, 200, {
        author: meta.author,
        date: meta.date,
        tags: meta.tags ?? [],
        message: meta.message,
      });
    }
    if (sub[0] === 'sync' && method === 'POST') {
      if (!this.options.onSync)
        return argoError(
          res,
          400,
          'sync is not supported by this sandbox instance',
        );
      const body = await readJsonSafe(req);
      await this.options.onSync(app, body?.revision);
      return sendJson(
        res,
        200,
        toApiObject(
          this.options.store.get('applications', appNamespace, name) ?? app,
        ),
      );
    }
    return argoError(res, 404, 'Not Found');
  }

  /**
   * Argo CD's getAppEnforceRBAC (server/application/application.go): without `project`, a
   * missing Application and one the token may not see both get 403 "permission denied", so
   * the code does not reveal whether it exists. With `project`, a token without access to that
   * project gets 403, and a missing Application, one in a project the token may not see, or
   * one in another project gets 404 NotFound.
   */
  private getAppEnforceRBAC(
    res: Response,
    grant: ArgoCdGrant,
    q: URLSearchParams,
    appNamespace: string,
    name: string,
  ): KubeObject | undefined {
    const projects = projectsOf(q);
    if (projects.length > 1) {
      argoError(
        res,
        400,
        'multiple projects specified - the get endpoint accepts either zero or one project',
      );
      return undefined;
    }
    const project = projects[0] ?? '';
    const denied = () => {
      argoError(res, 403, 'permission denied');
      return undefined;
    };
    const notFound = () => {
      argoError(res, 404, `applications.argoproj.io "${name}" not found`);
      return undefined;
    };
    if (project && grant.projects && !grant.projects.includes(project))
      return denied();
    const app = this.options.store.get('applications', appNamespace, name);
    if (!app) return project ? notFound() : denied();
    if (!this.visible(grant, app)) return project ? notFound() : denied();
    const effectiveProject = app.spec?.project || 'default';
    if (project && effectiveProject !== project) return notFound();
    return app;
  }

  private matching(
    q: URLSearchParams,
    selector: Requirement[],
    grant: ArgoCdGrant,
  ): KubeObject[] {
    const wantedProjects = projectsOf(q);
    const name = q.get('name');
    const appNamespace = q.get('appNamespace');
    const repo = q.get('repo');
    return this.options.store
      .list('applications', { namespace: appNamespace || undefined, selector })
      .items.filter(app => this.visible(grant, app))
      .filter(
        app =>
          !wantedProjects.length || wantedProjects.includes(app.spec?.project),
      )
      .filter(app => !name || app.metadata.name === name)
      .filter(app => !repo || app.spec?.source?.repoURL === repo);
  }

  private stream(
    req: Request,
    res: Response,
    q: URLSearchParams,
    grant: ArgoCdGrant,
  ) {
    const selector = parseLabelSelector(q.get('selector'));
    const fields = q.getAll('fields');
    const target = this.options.name;
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    res.flushHeaders();
    const send = (type: string, app: KubeObject) => {
      if (this.options.faults.get(target).stallWatches) return;
      const result = filterResponse(
        { result: { type, application: toApiObject(app) } },
        fields.length
          ? fields
              .flatMap(f => f.split(','))
              .map(f =>
                f.startsWith('result.')
                  ? f
                  : `result.application.${f.replace(/^items\./, '')}`,
              )
          : undefined,
      );
      res.write(`data: ${JSON.stringify(result)}\n\n`);
    };
    // Like Argo CD's Watch (isApplicationPermitted): the legacy `project` wins over `projects`,
    // and an Application older than the given resourceVersion is never sent, neither in the
    // initial ADDED events nor later.
    const projects = projectsOf(q);
    const minVersion = Number(q.get('resourceVersion')) || 0;
    const matches = (app: KubeObject) =>
      (Number(app.metadata.resourceVersion) || 0) >= minVersion &&
      this.visible(grant, app) &&
      (!q.get('name') || app.metadata.name === q.get('name')) &&
      (!q.get('appNamespace') ||
        app.metadata.namespace === q.get('appNamespace')) &&
      matchesLabels(selector, app.metadata.labels) &&
      (!projects.length || projects.includes(app.spec?.project));
    // Like Argo CD: send ADDED for the current state unless resuming (and always for a single app).
    if (!q.get('resourceVersion') || q.get('name')) {
      for (const app of this.matching(q, selector, grant))
        if (matches(app)) send('ADDED', app);
    }
    const listener = (event: StoreEvent) => {
      if (event.plural === 'applications' && matches(event.object))
        send(event.type, event.object);
    };
    this.options.store.on('event', listener);
    const close = () => {
      this.options.store.off('event', listener);
      this.streams.delete(close);
      if (!res.writableEnded) res.end();
    };
    this.streams.add(close);
    req.on('close', close);
    res.on('close', close);
  }
}

/** Argo CD's getProjectsFromApplicationQuery: the legacy `project` wins over `projects`. */
function projectsOf(q: URLSearchParams): string[] {
  const split = (values: string[]) =>
    values.flatMap(p => p.split(',')).filter(Boolean);
  const legacy = split(q.getAll('project'));
  return legacy.length ? legacy : split(q.getAll('projects'));
}

/** Applications as Argo CD's API returns them (it omits apiVersion/kind on lists too, but keeps them harmlessly). */
function toApiObject(app: KubeObject): KubeObject {
  return app;
}

function cookieToken(req: Request): string | undefined {
  const cookie = req.headers.cookie;
  const match = cookie ? /(?:^|;\s*)argocd\.token=([^;]+)/.exec(cookie) : null;
  return match ? decodeURIComponent(match[1]) : undefined;
}

async function readJsonSafe(req: Request): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    return chunks.length
      ? JSON.parse(Buffer.concat(chunks).toString('utf8'))
      : undefined;
  } catch {
    return undefined;
  }
}
