import { URL } from 'node:url';
import type { Faults } from '../faults/faults';
import {
  bearerToken,
  ManagedServer,
  pathSegments,
  readBody,
  Request,
  Response,
  sendJson,
  TlsMaterial,
} from '../util/http';
import {
  LabelSelectorError,
  matchesLabels,
  parseLabelSelector,
  Requirement,
} from './labelSelector';
import {
  ARGO_API_VERSION,
  ARGO_GROUP,
  ARGO_VERSION,
  RESOURCES,
} from './resources';
import { errors, KubeError, KubeStatus, kubeStatus } from './status';
import type { ClusterStore, KubeObject, StoreEvent } from './store';

/** What a bearer token may do on a Kubernetes API server. */
export interface TokenGrant {
  /** User name shown in 403 messages, e.g. `system:serviceaccount:backstage:reader`. */
  user: string;
  /** Namespaces the token can access; undefined means all (cluster scope). Empty means none (403). */
  namespaces?: string[];
  /** Only get/list/watch. */
  readOnly?: boolean;
}

export interface KubeApiServerOptions {
  /** Fault target name (the control plane / instance name). */
  name: string;
  store: ClusterStore;
  tokens: Record<string, TokenGrant>;
  faults: Faults;
  tls: TlsMaterial;
  /** Interval of BOOKMARK events for watches with allowWatchBookmarks (default 15 s). */
  bookmarkIntervalMs?: number;
  /** Validate writes against the CRD schema (default true). */
  validate?: boolean;
}

interface ActiveWatch {
  res: Response;
  close(): void;
}

const isWatch = (value: string | null) => value === '1' || value === 'true';

/**
 * A Kubernetes API server stand-in for the argoproj.io/v1alpha1 resources of one
 * Argo CD control plane. HTTPS with bearer tokens; faithful list/watch semantics.
 */
export class KubeApiServer {
  private readonly http: ManagedServer;
  private readonly watches = new Set<ActiveWatch>();
  requestCount = 0;
  /** Collection reads answered so far, by verb: what a test counts to see a relist storm. */
  readonly verbCounts = { list: 0, watch: 0 };

  constructor(private readonly options: KubeApiServerOptions) {
    this.http = new ManagedServer({
      target: options.name,
      faults: options.faults,
      tls: options.tls,
      handler: (req, res) => this.handle(req, res),
      errorResponder: (res, status) =>
        sendJson(res, status, errors.serverError(status)),
    });
    options.faults.on('change', this.onFaultChange);
  }

  get url(): string {
    return `https://localhost:${this.http.port}`;
  }

  get port(): number {
    return this.http.port;
  }

  async start(port = 0): Promise<number> {
    return this.http.listen(port);
  }

  async stop(): Promise<void> {
    this.options.faults.off('change', this.onFaultChange);
    this.closeWatches();
    await this.http.stop();
  }

  /** Ends every open watch cleanly, as an apiserver restart or watch timeout does. */
  closeWatches(): number {
    const count = this.watches.size;
    for (const watch of [...this.watches]) watch.close();
    return count;
  }

  get activeWatches(): number {
    return this.watches.size;
  }

  private readonly onFaultChange = (target: string) => {
    if (target === this.options.name && this.options.faults.get(target).down) {
      for (const watch of [...this.watches]) {
        watch.res.destroy();
        watch.close();
      }
    }
  };

  private send(
    res: Response,
    status: KubeStatus | number,
    body?: unknown,
  ): void {
    if (typeof status === 'number') sendJson(res, status, body);
    else sendJson(res, status.code, status);
  }

  private authenticate(req: Request): TokenGrant | KubeStatus {
    const token = bearerToken(req);
    const grant = token ? this.options.tokens[token] : undefined;
    if (!grant || this.options.faults.get(this.options.name).tokenExpired)
      return errors.unauthorized();
    return grant;
  }

  private authorize(
    grant: TokenGrant,
    verb: string,
    plural: string,
    namespace?: string,
  ): KubeStatus | undefined {
    const readVerbs = ['get', 'list', 'watch'];
    const nsAllowed =
      grant.namespaces === undefined ||
      (namespace !== undefined && grant.namespaces.includes(namespace));
    if (
      !nsAllowed ||
      (grant.readOnly && !readVerbs.includes(verb)) ||
      this.options.faults.get(this.options.name).forbidden
    ) {
      return errors.forbidden(grant.user, verb, plural, namespace);
    }
    return undefined;
  }

  private async handle(req: Request, res: Response): Promise<void> {
    this.requestCount++;
    const url = new URL(req.url ?? '/', 'https://localhost');
    const segments = pathSegments(url.pathname);
    if (['healthz', 'livez', 'readyz'].includes(segments[0])) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const grant = this.authenticate(req);
    if ('kind' in grant) {
      req.resume();
      this.send(res, grant);
      return;
    }
    try {
      await this.route(req, res, url, segments, grant);
    } catch (error) {
      if (error instanceof KubeError) this.send(res, error.status);
      else if (error instanceof LabelSelectorError)
        this.send(
          res,
          errors.badRequest(`unable to parse requirement: ${error.message}`),
        );
      else if (error instanceof SyntaxError)
        this.send(res, errors.badRequest(`invalid JSON: ${error.message}`));
      else throw error;
    }
  }

  private async route(
    req: Request,
    res: Response,
    url: URL,
    s: string[],
    grant: TokenGrant,
  ) {
    const method = req.method ?? 'GET';
    if (s.length === 1 && s[0] === 'version')
      return this.send(res, 200, versionInfo());
    if (s.length === 1 && s[0] === 'api') {
      return this.send(res, 200, {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [
          { clientCIDR: '0.0.0.0/0', serverAddress: `127.0.0.1:${this.port}` },
        ],
      });
    }
    if (s.length === 2 && s[0] === 'api' && s[1] === 'v1')
      return this.send(res, 200, coreResourceList());
    if (
      s.length === 3 &&
      s[0] === 'api' &&
      s[1] === 'v1' &&
      s[2] === 'namespaces'
    ) {
      return this.send(res, 200, this.namespaceList());
    }
    if (s.length === 1 && s[0] === 'apis')
      return this.send(res, 200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [apiGroup()],
      });
    if (s.length === 2 && s[0] === 'apis' && s[1] === ARGO_GROUP)
      return this.send(res, 200, {
        kind: 'APIGroup',
        apiVersion: 'v1',
        ...apiGroup(),
      });
    if (s[0] !== 'apis' || s[1] !== ARGO_GROUP || s[2] !== ARGO_VERSION)
      return this.send(res, errors.pathNotFound());
    if (s.length === 3) return this.send(res, 200, argoResourceList());

    let namespace: string | undefined;
    let rest = s.slice(3);
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, subresource] = rest;
    if (
      !RESOURCES[plural] ||
      rest.length > 3 ||
      (subresource && subresource !== 'status')
    ) {
      return this.send(res, errors.pathNotFound());
    }
    const store = this.options.store;
    const validate = this.options.validate ?? true;

    if (!name) {
      if (method === 'GET') {
        const watch = isWatch(url.searchParams.get('watch'));
        const denied = this.authorize(
          grant,
          watch ? 'watch' : 'list',
          plural,
          namespace,
        );
        if (denied) return this.send(res, denied);
        this.verbCounts[watch ? 'watch' : 'list']++;
        const selector = parseLabelSelector(
          url.searchParams.get('labelSelector'),
        );
        if (watch)
          return this.watch(req, res, url, plural, namespace, selector);
        const limit = Number(url.searchParams.get('limit') ?? 0) || undefined;
        const continueToken = url.searchParams.get('continue') || undefined;
        const rv = listResourceVersion(
          url,
          store.resourceVersion,
          continueToken,
        );
        if ('status' in rv) return this.send(res, rv.status);
        const result = store.list(plural, {
          namespace,
          selector,
          limit,
          continueToken,
          exactRv: rv.exact,
        });
        return this.send(res, 200, {
          apiVersion: ARGO_API_VERSION,
          kind: RESOURCES[plural].listKind,
          metadata: {
            resourceVersion: result.resourceVersion,
            ...(result.continueToken ? { continue: result.continueToken } : {}),
            ...(result.remainingItemCount !== undefined
              ? { remainingItemCount: result.remainingItemCount }
              : {}),
          },
          items: result.items,
        });
      }
      if (method === 'POST' && namespace) {
        const denied = this.authorize(grant, 'create', plural, namespace);
        if (denied) return this.send(res, denied);
        const body = JSON.parse(
          (await readBody(req)).toString('utf8'),
        ) as KubeObject;
        if (
          body?.metadata?.namespace &&
          body.metadata.namespace !== namespace
        ) {
          return this.send(
            res,
            errors.badRequest(
              'the namespace of the provided object does not match the namespace sent on the request',
            ),
          );
        }
        const created = store.create(
          plural,
          { ...body, metadata: { ...body.metadata, namespace } },
          { validate },
        );
        return this.send(res, 201, created);
      }
      return this.send(res, errors.methodNotAllowed());
    }

    const verb = {
      GET: 'get',
      PUT: 'update',
      PATCH: 'patch',
      DELETE: 'delete',
    }[method];
    if (!verb) return this.send(res, errors.methodNotAllowed());
    const denied = this.authorize(grant, verb, plural, namespace);
    if (denied) return this.send(res, denied);

    if (method === 'GET') {
      const obj = store.get(plural, namespace, name);
      if (!obj) return this.send(res, errors.notFound(plural, name));
      return this.send(res, 200, obj);
    }
    if (method === 'DELETE') {
      req.resume();
      return this.send(res, 200, store.delete(plural, namespace, name));
    }
    // Like the apiserver's PatchResource: the patch type is checked before the body is read,
    // and custom resources take no strategic merge patch.
    const contentType = (req.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    const kinds: Record<string, 'merge' | 'json'> = {
      'application/merge-patch+json': 'merge',
      'application/json-patch+json': 'json',
    };
    const kind = kinds[contentType];
    if (method === 'PATCH' && !kind) {
      req.resume();
      return this.send(res, errors.unsupportedMediaType(contentType));
    }
    const body = JSON.parse((await readBody(req)).toString('utf8'));
    if (method === 'PUT') {
      if (body?.metadata?.name !== name) {
        return this.send(
          res,
          errors.badRequest(
            'the name of the object does not match the name on the URL',
          ),
        );
      }
      let next = {
        ...body,
        metadata: { ...body.metadata, namespace },
      } as KubeObject;
      if (subresource === 'status') {
        const current = store.get(plural, namespace, name);
        if (!current) return this.send(res, errors.notFound(plural, name));
        next = {
          ...current,
          status: body.status,
          metadata: {
            ...current.metadata,
            resourceVersion: body.metadata.resourceVersion,
          },
        };
      }
      return this.send(res, 200, store.update(plural, next, { validate }));
    }
    if (!kind) return this.send(res, errors.unsupportedMediaType(contentType));
    const patch =
      subresource === 'status' && kind === 'merge'
        ? { status: body.status }
        : body;
    return this.send(
      res,
      200,
      store.patch(plural, namespace, name, kind, patch, { validate }),
    );
  }

  private namespaceList() {
    const names = new Set(['default', 'argocd']);
    for (const app of this.options.store.all('applications'))
      names.add(app.metadata.namespace ?? 'default');
    return {
      kind: 'NamespaceList',
      apiVersion: 'v1',
      metadata: { resourceVersion: this.options.store.resourceVersion },
      items: [...names].sort().map(name => ({
        metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
        spec: { finalizers: ['kubernetes'] },
        status: { phase: 'Active' },
      })),
    };
  }

  private watch(
    req: Request,
    res: Response,
    url: URL,
    plural: string,
    namespace: string | undefined,
    selector: Requirement[],
  ) {
    const store = this.options.store;
    const faults = this.options.faults;
    const target = this.options.name;
    const rvParam = url.searchParams.get('resourceVersion');
    const bookmarks = isWatch(url.searchParams.get('allowWatchBookmarks'));
    const timeoutSeconds = Number(url.searchParams.get('timeoutSeconds') ?? 0);
    res.writeHead(200, {
      'content-type': 'application/json',
      'cache-control': 'no-cache, private',
    });
    res.flushHeaders();
    const write = (type: string, object: unknown) => {
      if (!faults.get(target).stallWatches)
        res.write(`${JSON.stringify({ type, object })}\n`);
    };

    if (rvParam && rvParam !== '0' && !/^\d+$/.test(rvParam)) {
      write(
        'ERROR',
        errors.badRequest(`invalid resource version "${rvParam}"`),
      );
      res.end();
      return;
    }
    const fromRv = rvParam && rvParam !== '0' ? Number(rvParam) : undefined;
    const backlog = fromRv !== undefined ? store.eventsSince(fromRv) : [];
    if (faults.takeForcedGone(target) || backlog === 'gone') {
      // The real apiserver accepts the watch and then sends an ERROR event with a 410 Status.
      write(
        'ERROR',
        errors.gone(
          `too old resource version: ${rvParam ?? 0} (${
            store.resourceVersion
          })`,
        ),
      );
      res.end();
      return;
    }

    const inScope = (obj: KubeObject | undefined) =>
      obj !== undefined &&
      (namespace === undefined || obj.metadata.namespace === namespace) &&
      matchesLabels(selector, obj.metadata.labels);
    const sendEvent = (event: StoreEvent) => {
      if (event.plural !== plural) return;
      const now = inScope(event.object);
      const before = event.type === 'MODIFIED' && inScope(event.previous);
      if (event.type === 'MODIFIED') {
        if (now && before) write('MODIFIED', event.object);
        else if (now) write('ADDED', event.object);
        else if (before) write('DELETED', event.object);
      } else if (now) {
        write(event.type, event.object);
      }
    };

    if (fromRv === undefined) {
      for (const obj of store.list(plural, { namespace, selector }).items)
        write('ADDED', obj);
    } else {
      for (const event of backlog) sendEvent(event);
    }

    const listener = (event: StoreEvent) => sendEvent(event);
    store.on('event', listener);
    const timers: NodeJS.Timeout[] = [];
    if (bookmarks) {
      timers.push(
        setInterval(() => {
          write('BOOKMARK', {
            kind: RESOURCES[plural].kind,
            apiVersion: ARGO_API_VERSION,
            metadata: {
              resourceVersion: store.resourceVersion,
              creationTimestamp: null,
            },
          });
        }, this.options.bookmarkIntervalMs ?? 15_000),
      );
    }
    const active: ActiveWatch = {
      res,
      close: () => {
        store.off('event', listener);
        timers.forEach(t => clearInterval(t));
        this.watches.delete(active);
        if (!res.writableEnded) res.end();
      },
    };
    if (timeoutSeconds > 0)
      timers.push(setTimeout(() => active.close(), timeoutSeconds * 1000));
    this.watches.add(active);
    req.on('close', () => active.close());
    res.on('close', () => active.close());
  }
}

/**
 * The list semantics of `resourceVersion` and `resourceVersionMatch`: unset is the latest, "0"
 * any, N with NotOlderThan (the default) at least N, Exact exactly N.
 */
function listResourceVersion(
  url: URL,
  current: string,
  continueToken: string | undefined,
): { exact?: number } | { status: KubeStatus } {
  const rv = url.searchParams.get('resourceVersion') ?? '';
  const match = url.searchParams.get('resourceVersionMatch') ?? '';
  if (match && !['Exact', 'NotOlderThan'].includes(match)) {
    return {
      status: errors.invalidListOptions(
        `resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`,
      ),
    };
  }
  if (match && !rv) {
    return {
      status: errors.invalidListOptions(
        'resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
      ),
    };
  }
  if (rv && continueToken && rv !== '0') {
    return {
      status: errors.badRequest(
        'specifying resource version is not allowed when using continue',
      ),
    };
  }
  if (!rv || rv === '0') return {};
  if (!/^\d+$/.test(rv)) {
    return { status: errors.badRequest(`invalid resource version "${rv}"`) };
  }
  if (Number(rv) > Number(current)) {
    return {
      status: kubeStatus(
        504,
        'Timeout',
        `Too large resource version: ${rv}, current: ${current}`,
        {
          causes: [
            {
              reason: 'ResourceVersionTooLarge',
              message: 'Too large resource version',
            },
          ],
          retryAfterSeconds: 1,
        },
      ),
    };
  }
  return match === 'Exact' ? { exact: Number(rv) } : {};
}

export function versionInfo() {
  return {
    major: '1',
    minor: '31',
    gitVersion: 'v1.31.0-gitops-sandbox',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2024-08-13T00:00:00Z',
    goVersion: 'go1.22.5',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

function apiGroup() {
  const version = { groupVersion: ARGO_API_VERSION, version: ARGO_VERSION };
  return { name: ARGO_GROUP, versions: [version], preferredVersion: version };
}

const VERBS = [
  'delete',
  'deletecollection',
  'get',
  'list',
  'patch',
  'create',
  'update',
  'watch',
];

function argoResourceList() {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: ARGO_API_VERSION,
    resources: Object.values(RESOURCES).map(r => ({
      name: r.plural,
      singularName: r.singular,
      namespaced: true,
      kind: r.kind,
      verbs: VERBS,
      shortNames: r.shortNames,
      storageVersionHash: Buffer.from(r.kind).toString('base64').slice(0, 11),
    })),
  };
}

function coreResourceList() {
  return {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      {
        name: 'namespaces',
        singularName: 'namespace',
        namespaced: false,
        kind: 'Namespace',
        verbs: ['get', 'list', 'watch'],
        shortNames: ['ns'],
      },
    ],
  };
}
