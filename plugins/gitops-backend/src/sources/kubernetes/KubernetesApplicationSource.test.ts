import { mockServices } from '@backstage/backend-test-utils';
import http from 'node:http';
import { fullApplication } from '../../__testUtils__/applications';
import { startFakeServer } from '../../__testUtils__/fakeServers';
import { ApplicationStore } from '../../store/ApplicationStore';
import { KubernetesApplicationSource } from './KubernetesApplicationSource';

async function eventually(check: () => void, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(r => setTimeout(r, 50));
    }
  }
}

/** A fake Kubernetes API serving applications.argoproj.io list and watch. */
function fakeKube() {
  const state = {
    apps: [] as any[],
    listStatus: 200,
    watchStatus: 200,
    /** Every watch answers this status while set (watchStatus fails only the next one). */
    watchFailStatus: 0,
    /** Namespaces whose list and watch answer 403. */
    forbiddenNamespaces: new Set<string>(),
    /** Open watches by namespace ('*' for the cluster-wide one). */
    watchesOf: new Map<string, http.ServerResponse[]>(),
    lists: 0,
    /** The query of every list page request. */
    pages: [] as URLSearchParams[],
    /** The next N requests with a continue token answer 410 Gone. */
    expireContinue: 0,
    /** Requests with a continue token answer this status, when set. */
    continueStatus: 0,
    watches: [] as http.ServerResponse[],
    token: 'kube-token',
  };
  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (req.headers.authorization !== `Bearer ${state.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ kind: 'Status', code: 401, message: 'Unauthorized' }),
      );
      return;
    }
    const path =
      /^\/apis\/argoproj.io\/v1alpha1\/(?:namespaces\/([^/]+)\/)?applications$/.exec(
        url.pathname,
      );
    if (!path) {
      res.writeHead(404);
      res.end();
      return;
    }
    const namespace = path[1];
    if (namespace && state.forbiddenNamespaces.has(namespace)) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ kind: 'Status', code: 403, message: 'forbidden' }),
      );
      return;
    }
    const apps = namespace
      ? state.apps.filter(a => a.metadata.namespace === namespace)
      : state.apps;
    if (url.searchParams.get('watch') === 'true') {
      if (state.watchFailStatus) {
        res.writeHead(state.watchFailStatus, {
          'content-type': 'application/json',
        });
        res.end(
          JSON.stringify({ kind: 'Status', code: state.watchFailStatus }),
        );
        return;
      }
      if (state.watchStatus !== 200) {
        res.writeHead(state.watchStatus);
        res.end();
        state.watchStatus = 200;
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      state.watches.push(res);
      const key = namespace ?? '*';
      state.watchesOf.set(key, [...(state.watchesOf.get(key) ?? []), res]);
      return;
    }
    state.pages.push(url.searchParams);
    const limit = Number(url.searchParams.get('limit')) || apps.length;
    const token = url.searchParams.get('continue');
    if (token && state.expireContinue > 0) {
      state.expireContinue--;
      res.writeHead(410, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
          message: 'The provided continue parameter is too old',
        }),
      );
      return;
    }
    if (token && state.continueStatus) {
      res.writeHead(state.continueStatus, {
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ kind: 'Status', code: state.continueStatus }));
      return;
    }
    if (!token) state.lists++;
    const start = token ? Number(token) : 0;
    const next = start + limit < apps.length ? start + limit : undefined;
    res.writeHead(state.listStatus, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: 'ApplicationList',
        metadata: {
          resourceVersion: '10',
          ...(next ? { continue: String(next) } : {}),
        },
        items: apps.slice(start, start + limit),
      }),
    );
  };
  return { state, handler };
}

describe('KubernetesApplicationSource', () => {
  const sources: KubernetesApplicationSource[] = [];
  let server: Awaited<ReturnType<typeof startFakeServer>>;
  let kube: ReturnType<typeof fakeKube>;

  beforeEach(async () => {
    kube = fakeKube();
    server = await startFakeServer(kube.handler);
  });

  afterEach(async () => {
    await Promise.all(sources.splice(0).map(s => s.stop()));
    await server.close();
  });

  function createSource(
    stallTimeoutMs = 60_000,
    options: { namespaces?: string[]; watchEstablishedMs?: number } = {},
  ) {
    const store = new ApplicationStore(['backstage.io/kubernetes-id']);
    const source = new KubernetesApplicationSource({
      instance: {
        name: 'core',
        type: 'kubernetes',
        url: server.url,
        token: 'kube-token',
        skipTLSVerify: true,
        timeoutMs: 1000,
        namespaces: options.namespaces,
      },
      store,
      logger: mockServices.logger.mock(),
      stallTimeoutMs,
      watchEstablishedMs: options.watchEstablishedMs ?? 200,
    });
    sources.push(source);
    return { store, source };
  }

  it('lists slim Applications, reports malformed ones and applies watch events', async () => {
    kube.state.apps = [
      fullApplication({
        name: 'api-dev-1',
        service: 'api',
        cluster: 'dev-1',
        version: '1.0.0',
      }),
      {
        metadata: {
          name: 'broken',
          namespace: 'argocd',
          labels: { 'backstage.io/kubernetes-id': 'api' },
        },
        spec: { source: 'nope' },
      },
    ];
    const { store, source } = createSource();
    await source.start();

    expect(store.get('core', 'argocd', 'api-dev-1')?.images).toContain(
      'ghcr.io/acme/api:1.0.0',
    );
    expect(store.malformed()).toEqual([
      expect.objectContaining({
        name: 'broken',
        message: expect.stringMatching(/spec.source is not an object/),
      }),
    ]);
    expect(source.status().state).toBe('ok');

    await eventually(() => expect(kube.state.watches.length).toBe(1));
    const updated = fullApplication({
      name: 'api-dev-1',
      service: 'api',
      cluster: 'dev-1',
      version: '1.1.0',
      resourceVersion: '11',
    });
    kube.state.watches[0].write(
      `${JSON.stringify({ type: 'MODIFIED', object: updated })}\n`,
    );
    await eventually(() =>
      expect(store.get('core', 'argocd', 'api-dev-1')?.images).toContain(
        'ghcr.io/acme/api:1.1.0',
      ),
    );
  });

  function apps(count: number) {
    return Array.from({ length: count }, (_, i) =>
      fullApplication({
        name: `api-${String(i).padStart(4, '0')}`,
        service: 'api',
        cluster: 'dev-1',
        version: '1.0.0',
      }),
    );
  }

  it('lists in pages of 500 with continue tokens', async () => {
    kube.state.apps = apps(1200);
    const { store, source } = createSource();
    await source.start();

    expect(kube.state.pages.map(q => q.get('limit'))).toEqual([
      '500',
      '500',
      '500',
    ]);
    expect(kube.state.pages.map(q => q.get('continue'))).toEqual([
      null,
      '500',
      '1000',
    ]);
    expect(store.size()).toBe(1200);
    expect(source.status().state).toBe('ok');
  });

  it('starts the list over when its continue token expired', async () => {
    kube.state.apps = apps(1100);
    kube.state.expireContinue = 1;
    const { store, source } = createSource();
    await source.start();

    expect(kube.state.pages.map(q => q.get('continue'))).toEqual([
      null,
      '500',
      null,
      '500',
      '1000',
    ]);
    expect(store.size()).toBe(1100);
    expect(source.status().state).toBe('ok');
  });

  it('keeps the previous contents when a list fails after its first page', async () => {
    kube.state.apps = apps(600);
    const { store, source } = createSource();
    await source.start();
    expect(store.size()).toBe(600);

    kube.state.apps = apps(501);
    kube.state.continueStatus = 500;
    await eventually(() => expect(kube.state.watches.length).toBe(1));
    const pages = kube.state.pages.length;
    // the watch expires: the informer lists again, and that list fails on its second page
    kube.state.watches[0].write(
      `${JSON.stringify({
        type: 'ERROR',
        object: { kind: 'Status', code: 410, message: 'too old' },
      })}\n`,
    );
    kube.state.watches[0].end();
    await eventually(() =>
      expect(kube.state.pages.length).toBeGreaterThanOrEqual(pages + 2),
    );
    await eventually(() => expect(source.status().state).toBe('error'));
    expect(store.size()).toBe(600);

    kube.state.continueStatus = 0;
    await eventually(() => expect(store.size()).toBe(501), 4000);
  });

  it('re-lists after 410 Gone on the watch', async () => {
    kube.state.watchStatus = 410;
    const { source } = createSource();
    await source.start();
    await eventually(() => expect(kube.state.lists).toBe(2));
    expect(source.status().state).toBe('ok');
  });

  it('reports 401 with a clear reason and recovers without a restart', async () => {
    kube.state.token = 'rotated';
    const { store, source } = createSource();
    kube.state.apps = [
      fullApplication({
        name: 'api-dev-1',
        service: 'api',
        cluster: 'dev-1',
        version: '1.0.0',
      }),
    ];
    await source.start();
    expect(source.status()).toMatchObject({
      state: 'error',
      error: {
        kind: 'unauthorized',
        source: 'instance:core',
        message: expect.stringMatching(/rejected the token/),
      },
    });
    kube.state.token = 'kube-token';
    await eventually(() => expect(source.status().state).toBe('ok'), 4000);
    expect(store.size()).toBe(1);
  });

  it('restarts a stalled watch', async () => {
    const { source } = createSource(400);
    await source.start();
    expect(kube.state.lists).toBe(1);
    await eventually(
      () => expect(kube.state.lists).toBeGreaterThanOrEqual(2),
      4000,
    );
    expect(source.status().restarts).toBeGreaterThanOrEqual(1);
  });

  it('times out a slow instance', async () => {
    server.setHandler(() => {
      // never answers
    });
    const { source } = createSource();
    await source.start();
    expect(source.status().error).toMatchObject({ kind: 'timeout' });
  });

  /** Samples the source's state every 25 ms for `ms`. */
  async function statesDuring(source: KubernetesApplicationSource, ms: number) {
    const seen = new Set<string>();
    for (const until = Date.now() + ms; Date.now() < until; ) {
      seen.add(source.status().state);
      await new Promise(r => setTimeout(r, 25));
    }
    return seen;
  }

  it('stays in error while lists succeed but every watch fails, and recovers once one is established', async () => {
    kube.state.apps = apps(2);
    kube.state.watchFailStatus = 403;
    const { store, source } = createSource(60_000, {
      watchEstablishedMs: 300,
    });
    await source.start();
    await eventually(() => expect(source.status().state).toBe('error'));
    const lists = kube.state.lists;

    expect(await statesDuring(source, 2000)).toEqual(new Set(['error']));
    // it kept retrying: every retry listed successfully, and that alone is no recovery
    expect(kube.state.lists).toBeGreaterThan(lists);
    expect(source.status().error).toMatchObject({ kind: 'forbidden' });
    expect(store.size()).toBe(2);

    kube.state.watchFailStatus = 0;
    await eventually(() => expect(kube.state.watches.length).toBe(1), 8000);
    const openedAt = Date.now();
    await eventually(() => expect(source.status().state).toBe('ok'));
    // the open watch delivered nothing: it counted once it stayed open long enough
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(250);
  }, 20_000);

  it('keeps a status per namespace', async () => {
    kube.state.apps = [
      fullApplication({
        name: 'api-dev-1',
        namespace: 'team-a',
        service: 'api',
        cluster: 'dev-1',
        version: '1.0.0',
      }),
      fullApplication({
        name: 'web-dev-1',
        namespace: 'team-b',
        service: 'web',
        cluster: 'dev-1',
        version: '1.0.0',
      }),
    ];
    kube.state.forbiddenNamespaces.add('team-b');
    const { store, source } = createSource(60_000, {
      namespaces: ['team-a', 'team-b'],
    });
    await source.start();

    expect(store.get('core', 'team-a', 'api-dev-1')).toBeDefined();
    expect(source.status()).toMatchObject({
      state: 'error',
      errors: [
        {
          source: 'instance:core',
          kind: 'forbidden',
          message: expect.stringMatching(/namespace team-b/),
        },
      ],
    });

    // team-a delivering data does not make team-b healthy
    await eventually(() =>
      expect(kube.state.watchesOf.get('team-a')?.length).toBe(1),
    );
    kube.state.watchesOf.get('team-a')![0].write(
      `${JSON.stringify({
        type: 'BOOKMARK',
        object: { kind: 'Application', metadata: { resourceVersion: '12' } },
      })}\n`,
    );
    expect(await statesDuring(source, 500)).toEqual(new Set(['error']));

    kube.state.forbiddenNamespaces.clear();
    await eventually(() => expect(source.status().state).toBe('ok'), 4000);
    expect(source.status().errors).toEqual([]);
    expect(store.get('core', 'team-b', 'web-dev-1')).toBeDefined();
  });
});
