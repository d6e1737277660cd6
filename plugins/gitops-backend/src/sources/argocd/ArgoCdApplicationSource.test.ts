import { mockServices } from '@backstage/backend-test-utils';
import http from 'node:http';
import { fullApplication } from '../../__testUtils__/applications';
import {
  fakeArgoCd,
  sendStreamEvent,
  startFakeServer,
} from '../../__testUtils__/fakeServers';
import { ApplicationStore } from '../../store/ApplicationStore';
import { projectApplication } from '../projectApplication';
import {
  APPLICATION_LIST_FIELDS,
  ArgoCdApplicationSource,
} from './ArgoCdApplicationSource';

/** What Argo CD's `fields` parameter keeps of a list: those dot paths, through arrays. */
function keepFields(value: any, paths: string[][]): any {
  if (paths.some(p => p.length === 0)) return value;
  if (Array.isArray(value)) return value.map(v => keepFields(v, paths));
  if (typeof value !== 'object' || value === null) return undefined;
  const kept: Record<string, any> = {};
  for (const key of new Set(paths.map(p => p[0]))) {
    if (value[key] === undefined) continue;
    const sub = keepFields(
      value[key],
      paths.filter(p => p[0] === key).map(p => p.slice(1)),
    );
    if (sub !== undefined) kept[key] = sub;
  }
  return kept;
}

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

describe('ArgoCdApplicationSource', () => {
  let server: Awaited<ReturnType<typeof startFakeServer>>;
  let source: ArgoCdApplicationSource | undefined;
  const state = {
    apps: [] as any[],
    token: 'edge-token',
    streams: [] as http.ServerResponse[],
  };
  const requests: string[] = [];

  beforeEach(async () => {
    state.apps = [
      fullApplication({
        name: 'web-prod-us-1',
        service: 'web',
        cluster: 'prod-us-1',
        version: '1.4.2',
      }),
    ];
    state.streams = [];
    requests.length = 0;
    const argo = fakeArgoCd(state);
    server = await startFakeServer((req, res) => {
      requests.push(req.url!);
      argo(req, res);
    });
  });

  afterEach(async () => {
    await source?.stop();
    await server.close();
  });

  function createSource(
    overrides: {
      stallTimeoutMs?: number;
      pollIntervalMs?: number;
      watchEstablishedMs?: number;
    } = {},
  ) {
    const store = new ApplicationStore([]);
    source = new ArgoCdApplicationSource({
      instance: {
        name: 'edge',
        type: 'argocd',
        url: server.url,
        token: 'edge-token',
        timeoutMs: 1000,
      },
      store,
      logger: mockServices.logger.mock(),
      stallTimeoutMs: overrides.stallTimeoutMs ?? 60_000,
      pollIntervalMs: overrides.pollIntervalMs ?? 60_000,
      watchEstablishedMs: overrides.watchEstablishedMs ?? 200,
    });
    return { store, source };
  }

  it('lists with the fields whitelist, then applies stream events', async () => {
    const { store, source: s } = createSource();
    await s.start();
    expect(requests[0]).toMatch(
      /^\/api\/v1\/applications\?fields=.*items\.status\.summary/,
    );
    expect(store.get('edge', 'argocd', 'web-prod-us-1')?.images[0]).toBe(
      'ghcr.io/acme/web:1.4.2',
    );

    await eventually(() => expect(state.streams.length).toBe(1));
    sendStreamEvent(
      state.streams[0],
      'MODIFIED',
      fullApplication({
        name: 'web-prod-us-1',
        service: 'web',
        cluster: 'prod-us-1',
        version: '1.5.0',
        resourceVersion: '2',
      }),
    );
    await eventually(() =>
      expect(store.get('edge', 'argocd', 'web-prod-us-1')?.images[0]).toBe(
        'ghcr.io/acme/web:1.5.0',
      ),
    );
    sendStreamEvent(state.streams[0], 'DELETED', {
      metadata: { name: 'web-prod-us-1', namespace: 'argocd' },
    });
    await eventually(() => expect(store.size()).toBe(0));
  });

  it('lists every field the projection reads, so list and stream project alike', () => {
    const full = fullApplication({
      name: 'web-prod-us-1',
      service: 'web',
      cluster: 'prod-us-1',
      version: '1.4.2',
    });
    full.status.operationState = {
      phase: 'Succeeded',
      finishedAt: '2024-05-09T10:00:00Z',
    };
    full.status.conditions = [
      { type: 'ComparisonError', message: 'cannot render' },
    ];
    full.spec.ignoreDifferences = [
      { kind: 'Deployment', jsonPointers: ['/x'] },
    ];
    const listed = keepFields(
      { metadata: { resourceVersion: '1' }, items: [full] },
      APPLICATION_LIST_FIELDS.split(',').map(f => f.split('.')),
    ).items[0];

    const streamed = projectApplication(full);
    expect(streamed.historyId).toBe(10);
    expect(projectApplication(listed)).toEqual(streamed);
  });

  it('polls the list while the stream is unavailable', async () => {
    const argo = fakeArgoCd(state);
    server.setHandler((req, res) => {
      requests.push(req.url!);
      if (req.url!.startsWith('/api/v1/stream')) {
        res.writeHead(503);
        res.end();
        return;
      }
      argo(req, res);
    });
    const { store, source: s } = createSource({ pollIntervalMs: 100 });
    await s.start();
    state.apps = [
      fullApplication({
        name: 'web-prod-us-1',
        service: 'web',
        cluster: 'prod-us-1',
        version: '1.6.0',
        resourceVersion: '3',
      }),
    ];
    await eventually(() =>
      expect(store.get('edge', 'argocd', 'web-prod-us-1')?.images[0]).toBe(
        'ghcr.io/acme/web:1.6.0',
      ),
    );
    expect(
      requests.filter(r => r.startsWith('/api/v1/applications?')).length,
    ).toBeGreaterThanOrEqual(2);
    expect(s.status().state).toBe('ok');
  });

  it('reports 403 and recovers, and re-lists a stalled stream', async () => {
    const argo = fakeArgoCd(state);
    let forbidden = true;
    server.setHandler((req, res) => {
      requests.push(req.url!);
      if (forbidden) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'permission denied' }));
        return;
      }
      argo(req, res);
    });
    const { source: s } = createSource({ stallTimeoutMs: 300 });
    await s.start();
    expect(s.status().error).toMatchObject({
      kind: 'forbidden',
      instance: 'edge',
    });
    forbidden = false;
    await eventually(() => expect(s.status().state).toBe('ok'), 4000);
    const lists = () =>
      requests.filter(r => r.startsWith('/api/v1/applications?')).length;
    const before = lists();
    await eventually(() => expect(lists()).toBeGreaterThan(before), 3000);
  });

  it('reconnects a stream that keeps closing with backoff, and recovers only once one is established', async () => {
    const argo = fakeArgoCd(state);
    let forbidden = true;
    let closeStreams = true;
    server.setHandler((req, res) => {
      requests.push(req.url!);
      if (forbidden) {
        res.writeHead(403, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'permission denied' }));
        return;
      }
      if (closeStreams && req.url!.startsWith('/api/v1/stream')) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end();
        return;
      }
      argo(req, res);
    });
    const { source: s } = createSource({ watchEstablishedMs: 300 });
    await s.start();
    expect(s.status().error).toMatchObject({ kind: 'forbidden' });
    forbidden = false;
    const streams = () =>
      requests.filter(r => r.startsWith('/api/v1/stream')).length;
    await eventually(() => expect(streams()).toBeGreaterThanOrEqual(1), 3000);

    const states = new Set<string>();
    const before = streams();
    for (const until = Date.now() + 1500; Date.now() < until; ) {
      states.add(s.status().state);
      await new Promise(r => setTimeout(r, 25));
    }
    // backoff of at least 0.5 s, then 1 s: no reconnect loop
    expect(streams() - before).toBeLessThanOrEqual(3);
    // lists succeed on every reconnect, but a stream that closes at once is no recovery
    expect(states).toEqual(new Set(['error']));

    closeStreams = false;
    await eventually(() => expect(s.status().state).toBe('ok'), 8000);
  }, 20_000);
});
