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
    lists: 0,
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
    if (url.pathname !== '/apis/argoproj.io/v1alpha1/applications') {
      res.writeHead(404);
      res.end();
      return;
    }
    if (url.searchParams.get('watch') === 'true') {
      if (state.watchStatus !== 200) {
        res.writeHead(state.watchStatus);
        res.end();
        state.watchStatus = 200;
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      state.watches.push(res);
      return;
    }
    state.lists++;
    res.writeHead(state.listStatus, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        kind: 'ApplicationList',
        metadata: { resourceVersion: '10' },
        items: state.apps,
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

  function createSource(stallTimeoutMs = 60_000) {
    const store = new ApplicationStore(['backstage.io/kubernetes-id']);
    const source = new KubernetesApplicationSource({
      instance: {
        name: 'core',
        type: 'kubernetes',
        url: server.url,
        token: 'kube-token',
        skipTLSVerify: true,
        timeoutMs: 1000,
      },
      store,
      logger: mockServices.logger.mock(),
      stallTimeoutMs,
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
});
