import { URL } from 'node:url';
import { Faults, TargetFaults } from '../faults/faults';
import { KubeError } from '../kube/status';
import type { Sandbox } from '../sandbox';
import {
  ManagedServer,
  readJson,
  Request,
  Response,
  sendJson,
} from '../util/http';
import { Router } from '../util/router';

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

type ControlHandler = (ctx: {
  req: Request;
  res: Response;
  params: Record<string, string>;
  url: URL;
  body: () => Promise<any>;
}) => Promise<unknown>;

/**
 * HTTP control API for tests and benchmarks (plain HTTP on localhost).
 * See the README for the routes.
 */
export class ControlServer {
  private readonly http: ManagedServer;
  private readonly router = new Router<ControlHandler>();

  constructor(private readonly options: { sandbox: Sandbox; faults: Faults }) {
    // The control API has its own fault target that is never used, so faults never hit it.
    this.http = new ManagedServer({
      target: '__control__',
      faults: new Faults(),
      handler: (req, res) => this.handle(req, res),
    });
    this.routes();
  }

  get url(): string {
    return `http://localhost:${this.http.port}`;
  }

  start(port = 0): Promise<number> {
    return this.http.listen(port);
  }

  stop(): Promise<void> {
    return this.http.stop();
  }

  private routes() {
    const sb = this.options.sandbox;
    const faults = this.options.faults;
    const instance = (name: string) => {
      const found = sb.instances[name];
      if (!found) throw new HttpError(404, `unknown instance ${name}`);
      return found;
    };
    const r = this.router;
    r.add('GET', '/control/health', async () => ({ ok: true }));
    r.add('GET', '/control/state', async () => ({
      urls: sb.urls,
      caFile: sb.caFile,
      tokens: sb.tokens,
      accounts: sb.accounts,
      instances: Object.values(sb.instances).map(i => ({
        name: i.name,
        applications: i.store.count(),
        resourceVersion: i.store.resourceVersion,
        clusters: i.clusters,
        kube: i.kube?.url,
        argocd: i.argocd?.url,
      })),
      faults: faults.list(),
    }));
    r.add('GET', '/control/applications/:instance', async ({ params }) =>
      instance(params.instance)
        .store.all()
        .map(a => ({
          namespace: a.metadata.namespace,
          name: a.metadata.name,
          sync: a.status?.sync?.status,
          health: a.status?.health?.status,
          images: a.status?.summary?.images ?? [],
          revision: a.status?.sync?.revision,
        })),
    );
    r.add(
      'GET',
      '/control/applications/:instance/:namespace/:name',
      async ({ params }) => {
        const app = instance(params.instance).store.get(
          'applications',
          params.namespace,
          params.name,
        );
        if (!app) throw new HttpError(404, 'application not found');
        return app;
      },
    );
    r.add(
      'POST',
      '/control/applications/:instance/:namespace/:name/status',
      async ({ params, body }) => {
        instance(params.instance);
        return sb.setApplicationStatus(
          params.instance,
          params.namespace,
          params.name,
          (await body()) ?? {},
        );
      },
    );
    r.add(
      'POST',
      '/control/applications/:instance/:namespace/:name/sync',
      async ({ params, body }) => {
        instance(params.instance);
        const input = (await body()) ?? {};
        void sb.reconciler
          .sync(params.instance, params.namespace, params.name, input.revision)
          .catch(() => undefined);
        return { accepted: true };
      },
    );
    r.add('GET', '/control/faults', async () => faults.list());
    r.add('POST', '/control/faults/:target', async ({ params, body }) =>
      faults.set(
        params.target,
        ((await body()) ?? {}) as Partial<TargetFaults>,
      ),
    );
    r.add('DELETE', '/control/faults/:target', async ({ params }) => {
      faults.reset(params.target);
      return faults.get(params.target);
    });
    r.add('DELETE', '/control/faults', async () => {
      faults.reset();
      return {};
    });
    r.add('POST', '/control/watches/:instance/close', async ({ params }) => {
      const i = instance(params.instance);
      return {
        closed: (i.kube?.closeWatches() ?? 0) + (i.argocd?.closeStreams() ?? 0),
      };
    });
    r.add('POST', '/control/compact/:instance', async ({ params }) => {
      const i = instance(params.instance);
      i.store.compact();
      return { resourceVersion: i.store.resourceVersion };
    });
    r.add('GET', '/control/github/writes', async () => sb.github.writes());
    r.add('GET', '/control/github/requests', async () =>
      sb.github.requestCounts(),
    );
    r.add('POST', '/control/github/secondary-rate-limit', async ({ body }) => {
      const input = (await body()) ?? {};
      const whole = (value: unknown) =>
        typeof value === 'number' && Number.isInteger(value) && value >= 0;
      if (
        !whole(input.afterWrites) ||
        !(input.count === null || whole(input.count)) ||
        !whole(input.retryAfterSeconds) ||
        ![undefined, 403, 429].includes(input.status)
      ) {
        throw new HttpError(
          400,
          'expected { afterWrites, count (or null), retryAfterSeconds, status? (403 or 429) } with whole numbers',
        );
      }
      sb.github.server.secondaryRateLimit.arm(input);
      return { armed: input };
    });
    r.add('POST', '/control/github/counters/reset', async () => {
      sb.github.resetCounters();
      return {};
    });
    r.add('POST', '/control/reconciler', async ({ body }) => {
      const input = (await body()) ?? {};
      if (typeof input.phaseDelayMs === 'number')
        sb.reconciler.phaseDelayMs = input.phaseDelayMs;
      if (typeof input.respectManualSync === 'boolean')
        sb.reconciler.respectManualSync = input.respectManualSync;
      if (typeof input.withholdApplications === 'boolean')
        sb.reconciler.withholdApplications = input.withholdApplications;
      return {
        phaseDelayMs: sb.reconciler.phaseDelayMs,
        respectManualSync: sb.reconciler.respectManualSync,
        withholdApplications: sb.reconciler.withholdApplications,
      };
    });
    r.add('POST', '/control/reset', async () => {
      await sb.reset();
      return { ok: true };
    });
  }

  private async handle(req: Request, res: Response): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = this.router.match(req.method ?? 'GET', url.pathname);
    if (!match || match === 'method-not-allowed') {
      req.resume();
      sendJson(res, match ? 405 : 404, {
        error: match ? 'method not allowed' : 'not found',
      });
      return;
    }
    try {
      const result = await match.handler({
        req,
        res,
        url,
        params: match.params,
        body: () => readJson(req),
      });
      sendJson(res, 200, result ?? {});
    } catch (error) {
      if (error instanceof HttpError)
        sendJson(res, error.status, { error: error.message });
      else if (error instanceof KubeError)
        sendJson(res, error.status.code, error.status);
      else if (error instanceof SyntaxError)
        sendJson(res, 400, { error: `invalid JSON: ${error.message}` });
      else
        sendJson(res, 500, {
          error: String((error as Error).message ?? error),
        });
    }
  }
}
