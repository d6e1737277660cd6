import https from 'node:https';
import {
  CustomObjectsApi,
  KubeConfig,
  ListWatch,
  makeInformer,
  Watch,
} from '@kubernetes/client-node';
import { Faults } from '../faults/faults';
import { testCa, waitFor } from '../testing/helpers';
import { KubeApiServer } from './server';
import { ClusterStore, KubeObject } from './store';
import { testApplication } from './testApps';

const TOKEN = 'good-token';

function kubeConfig(server: string, caPem: string, token = TOKEN) {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'c', server, caData: Buffer.from(caPem).toString('base64') },
    ],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
}

describe('KubeApiServer', () => {
  const faults = new Faults();
  const store = new ClusterStore('core', 50);
  let server: KubeApiServer;
  let caPem: string;

  const request = (
    path: string,
    init: {
      method?: string;
      body?: unknown;
      token?: string;
      contentType?: string;
    } = {},
  ) =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      const req = https.request(
        `${server.url}${path}`,
        {
          method: init.method ?? 'GET',
          ca: caPem,
          headers: {
            authorization: `Bearer ${init.token ?? TOKEN}`,
            'content-type': init.contentType ?? 'application/json',
          },
        },
        res => {
          let data = '';
          res.on('data', d => (data += d));
          res.on('end', () =>
            resolve({
              status: res.statusCode!,
              body: data ? JSON.parse(data) : undefined,
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(init.body === undefined ? undefined : JSON.stringify(init.body));
    });

  beforeAll(async () => {
    const ca = await testCa();
    caPem = ca.caPem;
    server = new KubeApiServer({
      name: 'core',
      store,
      faults,
      tls: { key: ca.serverKey, cert: ca.serverCert },
      tokens: {
        [TOKEN]: { user: 'system:serviceaccount:backstage:reader' },
        'team-token': { user: 'team', namespaces: ['team-a'] },
        'readonly-token': { user: 'viewer', readOnly: true },
      },
      bookmarkIntervalMs: 100,
    });
    await server.start(0);
    for (let i = 0; i < 12; i++) {
      store.create(
        'applications',
        testApplication(`app-${String(i).padStart(2, '0')}`, {
          team: i % 2 ? 'odd' : 'even',
          tier: String(i % 3),
        }),
      );
    }
    store.create(
      'applications',
      testApplication('other', { team: 'x' }, 'team-a'),
    );
  });

  afterAll(async () => {
    await server.stop();
  });

  afterEach(() => faults.reset());

  it('serves discovery', async () => {
    expect((await request('/version')).body.major).toBe('1');
    const group = await request('/apis/argoproj.io/v1alpha1');
    expect(group.body.resources.map((r: any) => r.name)).toContain(
      'applications',
    );
  });

  it('rejects bad tokens with 401 and missing access with 403', async () => {
    const bad = await request('/apis/argoproj.io/v1alpha1/applications', {
      token: 'nope',
    });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({
      kind: 'Status',
      code: 401,
      reason: 'Unauthorized',
    });
    const forbidden = await request('/apis/argoproj.io/v1alpha1/applications', {
      token: 'team-token',
    });
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.message).toContain(
      'cannot list resource "applications"',
    );
    const allowed = await request(
      '/apis/argoproj.io/v1alpha1/namespaces/team-a/applications',
      { token: 'team-token' },
    );
    expect(allowed.body.items.map((a: any) => a.metadata.name)).toEqual([
      'other',
    ]);
    const readonly = await request(
      '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/app-00',
      {
        method: 'DELETE',
        token: 'readonly-token',
      },
    );
    expect(readonly.status).toBe(403);
    faults.set('core', { tokenExpired: true });
    expect(
      (await request('/apis/argoproj.io/v1alpha1/applications')).status,
    ).toBe(401);
  });

  it.each([
    ['team=odd', 6],
    ['team==odd', 6],
    ['team!=odd', 7],
    ['tier in (0,1)', 8],
    ['tier notin (0,1)', 5],
    ['tier', 12],
    ['!tier', 1],
    ['team=even,tier=0', 2],
  ])('filters by label selector %s', async (selector, count) => {
    const res = await request(
      `/apis/argoproj.io/v1alpha1/applications?labelSelector=${encodeURIComponent(
        selector,
      )}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(count);
  });

  it('paginates with limit/continue and expires old continue tokens with 410', async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    const remaining: number[] = [];
    do {
      const res = await request(
        `/apis/argoproj.io/v1alpha1/namespaces/argocd/applications?limit=5${
          token ? `&continue=${encodeURIComponent(token)}` : ''
        }`,
      );
      expect(res.body.kind).toBe('ApplicationList');
      names.push(...res.body.items.map((a: any) => a.metadata.name));
      token = res.body.metadata.continue;
      remaining.push(res.body.metadata.remainingItemCount);
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(remaining).toEqual([7, 2, undefined]);
    expect(names).toHaveLength(12);
    expect(new Set(names).size).toBe(12);

    const first = await request(
      '/apis/argoproj.io/v1alpha1/applications?limit=2',
    );
    store.patch('applications', 'argocd', 'app-00', 'merge', {
      metadata: { annotations: { touched: 'yes' } },
    });
    store.compact();
    const expired = await request(
      `/apis/argoproj.io/v1alpha1/applications?limit=2&continue=${encodeURIComponent(
        first.body.metadata.continue,
      )}`,
    );
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({
      kind: 'Status',
      code: 410,
      reason: 'Expired',
    });
  });

  it('lists at a resourceVersion like the apiserver and serves every page of a list from one revision', async () => {
    const base = '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications';
    const names = (res: { body: any }) =>
      res.body.items.map((a: any) => a.metadata.name);
    const before = await request(base);
    const rv = before.body.metadata.resourceVersion;
    store.create('applications', testApplication('late', { team: 'x' }));
    const firstPage = await request(`${base}?limit=5`);
    store.delete('applications', 'argocd', 'app-07');
    try {
      const exact = await request(
        `${base}?resourceVersion=${rv}&resourceVersionMatch=Exact`,
      );
      expect(exact.status).toBe(200);
      expect(exact.body.metadata.resourceVersion).toBe(rv);
      expect(names(exact)).toEqual(names(before));
      expect(names(await request(`${base}?resourceVersion=${rv}`))).toContain(
        'late',
      );

      const rest = await request(
        `${base}?limit=100&continue=${encodeURIComponent(
          firstPage.body.metadata.continue,
        )}`,
      );
      expect(rest.status).toBe(200);
      expect(names(rest)).toContain('app-07');

      const tooLarge = await request(
        `${base}?resourceVersion=${Number(store.resourceVersion) + 10}`,
      );
      expect(tooLarge.status).toBe(504);
      expect(tooLarge.body.message).toContain('Too large resource version');
      expect((await request(`${base}?resourceVersion=abc`)).body).toMatchObject(
        { code: 400, message: 'invalid resource version "abc"' },
      );
      expect((await request(`${base}?resourceVersionMatch=Exact`)).status).toBe(
        422,
      );
      expect(
        (
          await request(
            `${base}?resourceVersion=${rv}&continue=${encodeURIComponent(
              firstPage.body.metadata.continue,
            )}`,
          )
        ).status,
      ).toBe(400);
    } finally {
      store.delete('applications', 'argocd', 'late');
      store.create(
        'applications',
        testApplication('app-07', { team: 'odd', tier: '1' }),
      );
    }
  });

  it('creates, patches, updates and deletes with apiserver semantics', async () => {
    const base = '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications';
    const created = await request(base, {
      method: 'POST',
      body: testApplication('crud'),
    });
    expect(created.status).toBe(201);
    expect(
      (await request(base, { method: 'POST', body: testApplication('crud') }))
        .status,
    ).toBe(409);

    const invalid = await request(base, {
      method: 'POST',
      body: { ...testApplication('bad'), spec: { project: 42 } },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      code: 422,
    });

    const merged = await request(`${base}/crud`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { status: { sync: { status: 'OutOfSync' } } },
    });
    expect(merged.body.status.sync.status).toBe('OutOfSync');
    const patched = await request(`${base}/crud`, {
      method: 'PATCH',
      contentType: 'application/json-patch+json',
      body: [{ op: 'replace', path: '/spec/project', value: 'payments' }],
    });
    expect(patched.body.spec.project).toBe('payments');
    expect(patched.body.metadata.generation).toBe(2);
    const badPatch = await request(`${base}/crud`, {
      method: 'PATCH',
      contentType: 'application/json-patch+json',
      body: [{ op: 'replace', path: '/spec/project', value: 7 }],
    });
    expect(badPatch.status).toBe(422);

    const stale = await request(`${base}/crud`, {
      method: 'PUT',
      body: created.body,
    });
    expect(stale.status).toBe(409);
    const put = await request(`${base}/crud`, {
      method: 'PUT',
      body: { ...patched.body, spec: { ...patched.body.spec, project: 'web' } },
    });
    expect(put.status).toBe(200);
    expect((await request(`${base}/crud`)).body.spec.project).toBe('web');
    expect((await request(`${base}/crud`, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect((await request(`${base}/crud`)).status).toBe(404);
  });

  it('answers bad requests with the apiserver status codes', async () => {
    const base = '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications';
    const rawRequest = (
      p: string,
      method: string,
      contentType: string,
      body: string,
    ) =>
      new Promise<{ status: number; body: any }>((resolve, reject) => {
        const req = https.request(
          `${server.url}${p}`,
          {
            method,
            ca: caPem,
            headers: {
              authorization: `Bearer ${TOKEN}`,
              'content-type': contentType,
            },
          },
          res => {
            let data = '';
            res.on('data', d => (data += d));
            res.on('end', () =>
              resolve({ status: res.statusCode!, body: JSON.parse(data) }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });

    const badSelector = await request(
      `${base}?labelSelector=${encodeURIComponent('team in odd')}`,
    );
    expect(badSelector.status).toBe(400);
    expect(badSelector.body).toMatchObject({
      kind: 'Status',
      code: 400,
      reason: 'BadRequest',
    });
    for (const path of [
      '/apis/argoproj.io/v1alpha1/namespaces/argocd/rollouts',
      '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/app-00/scale',
      '/apis/argoproj.io/v1beta1/applications',
      '/apis/example.com/v1/widgets',
    ]) {
      expect(await request(path)).toEqual({
        status: 404,
        body: expect.objectContaining({
          kind: 'Status',
          code: 404,
          reason: 'NotFound',
          message: 'the server could not find the requested resource',
        }),
      });
    }
    expect(await request(`${base}/missing`)).toMatchObject({
      status: 404,
      body: {
        reason: 'NotFound',
        message: 'applications.argoproj.io "missing" not found',
      },
    });
    expect(
      (
        await request(`${base}/missing`, {
          method: 'PATCH',
          contentType: 'application/merge-patch+json',
          body: { metadata: { labels: { a: 'b' } } },
        })
      ).status,
    ).toBe(404);
    // Custom resources take no strategic merge patch, and the patch type is checked before
    // the body is read: 415 even for a body that is not JSON.
    for (const contentType of [
      'application/strategic-merge-patch+json',
      'application/json',
      'text/plain',
    ]) {
      const res = await rawRequest(
        `${base}/app-00`,
        'PATCH',
        contentType,
        'not json',
      );
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({
        kind: 'Status',
        code: 415,
        reason: 'UnsupportedMediaType',
      });
    }
    expect(
      (await rawRequest(base, 'POST', 'application/json', '{"metadata":'))
        .status,
    ).toBe(400);
    expect((await request(base, { method: 'PUT', body: {} })).status).toBe(405);
  });

  describe('with the real client-node informer', () => {
    const path = '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications';

    function startInformer(labelSelector?: string) {
      const kc = kubeConfig(server.url, caPem);
      const api = kc.makeApiClient(CustomObjectsApi);
      // client-node's informer (ListWatch) with a Watch that asks for bookmarks,
      // as informers in other clients do (makeInformer does not ask for them).
      class BookmarkWatch extends Watch {
        watch(p: string, params: any, cb: any, done: any) {
          return super.watch(
            p,
            { ...params, allowWatchBookmarks: true },
            cb,
            done,
          );
        }
      }
      const informer = new ListWatch(
        path,
        new BookmarkWatch(kc),
        () =>
          api.listNamespacedCustomObject({
            group: 'argoproj.io',
            version: 'v1alpha1',
            namespace: 'argocd',
            plural: 'applications',
            labelSelector,
          }) as any,
        false,
        labelSelector,
      );
      const errors: unknown[] = [];
      informer.on('error', err => errors.push(err));
      return { informer, errors };
    }

    const syncStatus = (
      informer: ReturnType<typeof startInformer>['informer'],
      name: string,
    ) =>
      (informer.get(name, 'argocd') as KubeObject | undefined)?.status?.sync
        ?.status;

    it('survives a watch restart, bookmarks and a 410 Gone', async () => {
      const { informer, errors: informerErrors } = startInformer();
      const relists = jest.fn();
      informer.on('connect', relists);
      await informer.start();
      try {
        await waitFor(
          () => informer.list('argocd').length >= 12,
          5000,
          'initial list',
        );
        await waitFor(() => server.activeWatches > 0, 5000, 'watch');

        store.patch('applications', 'argocd', 'app-01', 'merge', {
          status: { sync: { status: 'OutOfSync' } },
        });
        await waitFor(
          () => syncStatus(informer, 'app-01') === 'OutOfSync',
          5000,
          'modified event',
        );

        // Bookmarks advance the informer's resourceVersion without changes.
        const rvBefore = store.resourceVersion;
        store.create(
          'applications',
          testApplication('bookmark-probe', {}, 'elsewhere'),
        );
        await waitFor(
          () => Number(informer.latestResourceVersion()) > Number(rvBefore),
          5000,
          'bookmark',
        );

        // A clean watch restart (server closes the stream): resume from the last resourceVersion.
        expect(server.closeWatches()).toBeGreaterThan(0);
        store.patch('applications', 'argocd', 'app-02', 'merge', {
          status: { sync: { status: 'OutOfSync' } },
        });
        await waitFor(
          () => syncStatus(informer, 'app-02') === 'OutOfSync',
          8000,
          'event after restart',
        );

        // 410: history compacted and the next watch gets an ERROR 410; the informer relists.
        const connectsBefore = relists.mock.calls.length;
        faults.set('core', { forceGone: 1 });
        store.compact();
        server.closeWatches();
        store.create('applications', testApplication('after-gone'));
        await waitFor(
          () => informer.get('after-gone', 'argocd'),
          10_000,
          'relist after 410',
        );
        expect(relists.mock.calls.length).toBeGreaterThan(connectsBefore);
        expect(informerErrors).toEqual([]);
      } finally {
        await informer.stop();
      }
    }, 30_000);

    it('makeInformer as-is survives a watch restart and a 410, and gets no bookmarks it did not ask for', async () => {
      const kc = kubeConfig(server.url, caPem);
      const api = kc.makeApiClient(CustomObjectsApi);
      const informer = makeInformer(
        kc,
        path,
        () =>
          api.listNamespacedCustomObject({
            group: 'argoproj.io',
            version: 'v1alpha1',
            namespace: 'argocd',
            plural: 'applications',
          }) as any,
      );
      const informerErrors: unknown[] = [];
      informer.on('error', err => informerErrors.push(err));
      const connects = jest.fn();
      informer.on('connect', connects);
      const lists = jest.spyOn(api, 'listNamespacedCustomObject');
      await informer.start();
      try {
        await waitFor(
          () => informer.list('argocd').length >= 12,
          5000,
          'initial list',
        );
        await waitFor(() => server.activeWatches > 0, 5000, 'watch');
        expect(lists).toHaveBeenCalledTimes(1);

        // makeInformer's Watch does not send allowWatchBookmarks, and the apiserver only
        // sends BOOKMARK events to watches that ask: a change outside the watched namespace
        // leaves the informer's resourceVersion where it was, past several bookmark intervals.
        // makeInformer returns a ListWatch; its type only names the Informer side.
        const informerRv = () =>
          (informer as unknown as ListWatch<any>).latestResourceVersion();
        const rvBefore = informerRv();
        store.create(
          'applications',
          testApplication('no-bookmark-probe', {}, 'elsewhere'),
        );
        await new Promise(resolve => setTimeout(resolve, 500));
        expect(informerRv()).toBe(rvBefore);

        // A clean watch restart: the informer re-watches from its resourceVersion without a list.
        expect(server.closeWatches()).toBeGreaterThan(0);
        store.patch('applications', 'argocd', 'app-04', 'merge', {
          status: { sync: { status: 'OutOfSync' } },
        });
        await waitFor(
          () =>
            (informer.get('app-04', 'argocd') as KubeObject | undefined)?.status
              ?.sync?.status === 'OutOfSync',
          8000,
          'event after restart',
        );
        expect(lists).toHaveBeenCalledTimes(1);

        // 410: the next watch gets an ERROR 410 event; the informer lists again.
        const connectsBefore = connects.mock.calls.length;
        faults.set('core', { forceGone: 1 });
        store.compact();
        server.closeWatches();
        store.create('applications', testApplication('after-gone-2'));
        await waitFor(
          () => informer.get('after-gone-2', 'argocd'),
          10_000,
          'relist after 410',
        );
        expect(lists).toHaveBeenCalledTimes(2);
        expect(connects.mock.calls.length).toBeGreaterThan(connectsBefore);
        expect(informerErrors).toEqual([]);
      } finally {
        await informer.stop();
        store.delete('applications', 'elsewhere', 'no-bookmark-probe');
        store.delete('applications', 'argocd', 'after-gone-2');
      }
    }, 30_000);

    it('sends a 410 ERROR event for a watch from an expired resourceVersion', async () => {
      const old = store.resourceVersion;
      store.compact();
      store.patch('applications', 'argocd', 'app-03', 'merge', {
        metadata: { labels: { x: 'y' } },
      });
      const watch = new Watch(kubeConfig(server.url, caPem));
      const events: { type: string; obj: any }[] = [];
      const done = new Promise(resolve =>
        watch.watch(
          path,
          { resourceVersion: String(Number(old) - 1) },
          (type, obj) => events.push({ type, obj }),
          resolve,
        ),
      );
      await done;
      expect(events).toEqual([
        {
          type: 'ERROR',
          obj: expect.objectContaining({
            kind: 'Status',
            code: 410,
            reason: 'Expired',
          }),
        },
      ]);
    });

    it('stalls watches on demand and client watchers time out', async () => {
      faults.set('core', { stallWatches: true });
      const watch = new Watch(kubeConfig(server.url, caPem));
      (watch as any).requestTimeoutMs = 300;
      const events: string[] = [];
      const err = await new Promise<any>(resolve =>
        watch.watch(path, {}, type => events.push(type), resolve),
      );
      expect(err?.name).toBe('TimeoutError');
      expect(events).toEqual([]);
    });
  });
});
