import https from 'node:https';
import fs from 'node:fs';
import { Octokit } from '@octokit/rest';
import { startSandbox, Sandbox } from './sandbox';
import { tmpDir, waitFor } from './testing/helpers';

describe('startSandbox (sample world)', () => {
  let sandbox: Sandbox;
  const stateDir = tmpDir('sandbox-world-');

  const argo = (path: string, token = 'sandbox-edge-token') =>
    new Promise<{ status: number; body: any }>((resolve, reject) => {
      https
        .get(
          `${sandbox.urls.argocd.edge}${path}`,
          { ca: sandbox.caPem, headers: { authorization: `Bearer ${token}` } },
          res => {
            let data = '';
            res.on('data', d => (data += d));
            res.on('end', () =>
              resolve({ status: res.statusCode!, body: JSON.parse(data) }),
            );
          },
        )
        .on('error', reject);
    });

  beforeAll(async () => {
    sandbox = await startSandbox({
      stateDir,
      ports: { coreKube: 0, edgeArgoCd: 0, github: 0, control: 0 },
      reconciler: { phaseDelayMs: 100 },
    });
  }, 30_000);

  afterAll(async () => {
    await sandbox.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('seeds the sample world consistently with Git', async () => {
    expect(fs.readFileSync(sandbox.caFile, 'utf8')).toBe(sandbox.caPem);
    // 9 of the three Git-source services, 12 of the shape services (see shapeServices.test.ts)
    expect(sandbox.stores.core.count()).toBe(21);
    expect(sandbox.stores.edge.count()).toBe(8);
    expect(sandbox.stores.eu.count()).toBe(3);
    const byName = Object.fromEntries(
      sandbox.sampleWorld!.applications.map(a => [a.name, a]),
    );
    expect(byName['storefront-web-staging-1']).toMatchObject({
      desired: '1.5.0',
      live: '1.5.0',
      sync: 'Synced',
    });
    expect(byName['storefront-web-prod-us-1']).toMatchObject({
      desired: '1.4.2',
      live: '1.4.2',
      sync: 'Synced',
    });
    expect(byName['payments-worker-prod-eu-1']).toMatchObject({
      live: '2.3.1',
      sync: 'Synced',
    });
    expect(byName['payments-worker-prod-us-1']).toMatchObject({
      desired: '2.3.1',
      live: '2.3.0',
      sync: 'OutOfSync',
    });
    const drift = sandbox.stores.edge.get(
      'applications',
      'argocd',
      'checkout-api-prod-us-1',
    )!;
    expect(
      drift.status.resources.filter((r: any) => r.status === 'OutOfSync'),
    ).toHaveLength(3);
    expect(drift.status.resources.some((r: any) => r.requiresPruning)).toBe(
      true,
    );
    // History revisions are real commits of the seeded repository.
    const repo = sandbox.github.store.get('acme', 'web-gitops');
    for (const entry of sandbox.stores.core.get(
      'applications',
      'argocd',
      'storefront-web-dev-1',
    )!.status.history) {
      expect(await repo.git.objectType(entry.revision)).toBe('commit');
    }
  });

  it('serves Argo CD REST with fields filtering, selectors and Argo CD errors', async () => {
    const list = await argo(
      '/api/v1/applications?fields=items.metadata.name,items.status.sync.status&selector=app.kubernetes.io/name%3Dstorefront-web',
    );
    expect(list.status).toBe(200);
    expect(list.body).toEqual({
      metadata: { resourceVersion: expect.any(String) },
      items: [
        {
          metadata: { name: 'storefront-web-prod-us-1' },
          status: { sync: { status: 'Synced' } },
        },
      ],
    });
    const byProject = await argo('/api/v1/applications?projects=payments');
    expect(
      byProject.body.items.map((a: any) => a.metadata.name).sort(),
    ).toEqual(['checkout-api-prod-us-1', 'payments-worker-prod-us-1']);
    const tree = await argo(
      '/api/v1/applications/checkout-api-prod-us-1/resource-tree',
    );
    expect(tree.body.nodes.some((n: any) => n.kind === 'Pod')).toBe(true);
    const managed = await argo(
      '/api/v1/applications/checkout-api-prod-us-1/managed-resources',
    );
    expect(managed.body.items.filter((i: any) => i.modified)).toHaveLength(3);
    // Argo CD's ManifestResponse: the rendered target manifests as JSON strings
    const rendered = await argo(
      '/api/v1/applications/checkout-api-prod-us-1/manifests?appNamespace=argocd',
    );
    const deployments = rendered.body.manifests
      .map((m: string) => JSON.parse(m))
      .filter((m: any) => m.kind === 'Deployment');
    expect(
      deployments.map((d: any) => d.spec.template.spec.containers[0].image),
    ).toEqual([expect.stringMatching(/checkout-api:/)]);
    const rev = sandbox.stores.edge.get(
      'applications',
      'argocd',
      'storefront-web-prod-us-1',
    )!.status.history[0].revision;
    const meta = await argo(
      `/api/v1/applications/storefront-web-prod-us-1/revisions/${rev}/metadata`,
    );
    expect(meta.body.message).toBe('Initial GitOps layout');
    expect(await argo('/api/v1/applications', 'bad')).toMatchObject({
      status: 401,
      body: { code: 16 },
    });
    // Argo CD returns the selector parse error as a plain error: gRPC Unknown, HTTP 500.
    expect(await argo('/api/v1/applications?selector=a%3E%3Eb')).toMatchObject({
      status: 500,
      body: {
        code: 2,
        message: expect.stringMatching(/^error parsing the selector: /),
      },
    });
    expect(
      await argo(
        '/api/v1/applications/checkout-api-prod-us-1?projects=payments&projects=web',
      ),
    ).toMatchObject({
      status: 400,
      body: {
        code: 3,
        message:
          'multiple projects specified - the get endpoint accepts either zero or one project',
      },
    });
  });

  it('opens Argo CD sessions for its local account, as POST /api/v1/session does', async () => {
    const login = (body: unknown) =>
      new Promise<{ status: number; body: any }>((resolve, reject) => {
        const req = https.request(
          `${sandbox.urls.argocd.edge}/api/v1/session`,
          {
            method: 'POST',
            ca: sandbox.caPem,
            headers: { 'content-type': 'application/json' },
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
        req.end(JSON.stringify(body));
      });
    const { username, password } = sandbox.accounts.argocd.edge;
    for (const wrong of [
      { username, password: 'wrong' },
      { username: 'nobody', password },
    ]) {
      expect(await login(wrong)).toEqual({
        status: 401,
        body: {
          error: 'Invalid username or password',
          code: 16,
          message: 'Invalid username or password',
        },
      });
    }
    expect(await login({ username, password: '' })).toMatchObject({
      status: 401,
      body: { message: 'Blank passwords are not allowed' },
    });

    const session = await login({ username, password });
    expect(session.status).toBe(200);
    const [, payload] = session.body.token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(claims).toMatchObject({ iss: 'argocd', sub: `${username}:login` });
    expect(claims.exp - claims.iat).toBe(24 * 60 * 60);
    expect(
      await argo('/api/v1/session/userinfo', session.body.token),
    ).toMatchObject({ status: 200, body: { username } });

    const clock = jest
      .spyOn(Date, 'now')
      .mockReturnValue(claims.exp * 1000 + 1);
    try {
      expect(await argo('/api/v1/applications', session.body.token)).toEqual({
        status: 401,
        body: {
          error: 'invalid session: token has invalid claims: token is expired',
          code: 16,
          message:
            'invalid session: token has invalid claims: token is expired',
        },
      });
    } finally {
      clock.mockRestore();
    }
  });

  // Argo CD's getAppEnforceRBAC (server/application/application.go).
  it.each([
    // Without ?project=, a missing app and an app the token may not see are both 403.
    ['/nope', 'sandbox-edge-token', 403],
    ['/nope/resource-tree', 'sandbox-edge-token', 403],
    ['/checkout-api-prod-us-1', 'sandbox-edge-web-token', 403],
    [
      '/checkout-api-prod-us-1/managed-resources',
      'sandbox-edge-web-token',
      403,
    ],
    // With ?project=: no access to that project is 403, and everything else is 404.
    ['/checkout-api-prod-us-1?project=payments', 'sandbox-edge-web-token', 403],
    ['/nope?project=payments', 'sandbox-edge-token', 404],
    ['/nope/resource-tree?project=payments', 'sandbox-edge-token', 404],
    ['/checkout-api-prod-us-1?project=web', 'sandbox-edge-token', 404],
    ['/checkout-api-prod-us-1?project=web', 'sandbox-edge-web-token', 404],
    ['/checkout-api-prod-us-1?project=payments', 'sandbox-edge-token', 200],
    ['/checkout-api-prod-us-1?projects=web', 'sandbox-edge-token', 404],
    ['/storefront-web-prod-us-1?project=web', 'sandbox-edge-web-token', 200],
    ['/storefront-web-prod-us-1', 'sandbox-edge-web-token', 200],
  ])(
    'answers GET /api/v1/applications%s (%s) with %i as Argo CD does',
    async (path, token, status) => {
      const res = await argo(`/api/v1/applications${path}`, token);
      expect(res.status).toBe(status);
      const name = path.slice(1).split(/[/?]/)[0];
      const notFound = `applications.argoproj.io "${name}" not found`;
      const expected: Record<number, unknown> = {
        200: expect.objectContaining({
          metadata: expect.objectContaining({ name }),
        }),
        403: {
          error: 'permission denied',
          code: 7,
          message: 'permission denied',
        },
        404: { error: notFound, code: 5, message: notFound },
      };
      expect(res.body).toEqual(expected[status]);
    },
  );

  it('streams applications like Argo CD: nothing older than the given resourceVersion', async () => {
    const store = sandbox.stores.edge;
    const name = 'storefront-web-prod-us-1';
    const appRv = Number(
      store.get('applications', 'argocd', name)!.metadata.resourceVersion,
    );
    const touch = (value: string) =>
      store.patch('applications', 'argocd', name, 'merge', {
        metadata: { annotations: { 'sandbox.test/probe': value } },
      });
    const open = (query: string) => {
      const events: { type: string; name: string; rv: string }[] = [];
      let buffer = '';
      const req = https.get(
        `${sandbox.urls.argocd.edge}/api/v1/stream/applications?${query}`,
        {
          ca: sandbox.caPem,
          headers: { authorization: 'Bearer sandbox-edge-token' },
        },
        res => {
          res.on('data', chunk => {
            buffer += chunk;
            const parts = buffer.split('\n\n');
            buffer = parts.pop()!;
            for (const part of parts) {
              const { result } = JSON.parse(part.replace(/^data: /, ''));
              events.push({
                type: result.type,
                name: result.application.metadata.name,
                rv: result.application.metadata.resourceVersion,
              });
            }
          });
        },
      );
      req.on('error', () => {});
      const connected = new Promise(resolve => req.on('response', resolve));
      return { events, connected, close: () => req.destroy() };
    };

    // A single-app stream sends the current state unless it is older than resourceVersion.
    const current = open(`name=${name}&resourceVersion=${appRv}`);
    const newer = open(`name=${name}&resourceVersion=${appRv + 1}`);
    // A stream from the future skips every change until it catches up.
    const future = open(`resourceVersion=${Number(store.resourceVersion) + 2}`);
    const resumed = open(`resourceVersion=${store.resourceVersion}`);
    try {
      await Promise.all(
        [current, newer, future, resumed].map(s => s.connected),
      );
      await waitFor(() => current.events.length === 1, 5000, 'ADDED');
      expect(current.events[0]).toMatchObject({ type: 'ADDED', name });
      touch('1');
      touch('2');
      await waitFor(() => resumed.events.length === 2, 5000, 'MODIFIED');
      await waitFor(() => newer.events.length === 2, 5000, 'MODIFIED');
      await waitFor(() => future.events.length === 1, 5000, 'caught up');
      expect(resumed.events.map(e => e.type)).toEqual(['MODIFIED', 'MODIFIED']);
      // `newer` got no ADDED: the app was older than the resourceVersion it asked for.
      expect(newer.events.map(e => e.type)).toEqual(['MODIFIED', 'MODIFIED']);
      expect(future.events).toEqual([
        { type: 'MODIFIED', name, rv: store.resourceVersion },
      ]);
    } finally {
      [current, newer, future, resumed].forEach(s => s.close());
    }
  });

  it('plays Argo CD after a promotion PR is merged: OutOfSync → Progressing → Synced with the new image', async () => {
    const octokit = new Octokit({
      auth: sandbox.tokens.github,
      baseUrl: sandbox.urls.githubApi,
    });
    const owner = 'acme';
    const repo = 'web-gitops';
    const path = 'apps/storefront-web/envs/prod/values.yaml';
    const { data: file } = await octokit.repos.getContent({
      owner,
      repo,
      path,
    });
    const values = Buffer.from((file as any).content, 'base64')
      .toString()
      .replace('tag: "1.4.2"', 'tag: "1.5.0"');
    const { data: main } = await octokit.git.getRef({
      owner,
      repo,
      ref: 'heads/main',
    });
    await octokit.git.createRef({
      owner,
      repo,
      ref: 'refs/heads/promote-storefront',
      sha: main.object.sha,
    });
    await octokit.repos.createOrUpdateFileContents({
      owner,
      repo,
      path,
      branch: 'promote-storefront',
      message: 'Promote storefront-web 1.5.0 to prod',
      content: Buffer.from(values).toString('base64'),
      sha: (file as any).sha,
    });
    const { data: pr } = await octokit.pulls.create({
      owner,
      repo,
      head: 'promote-storefront',
      base: 'main',
      title: 'Promote storefront-web to prod',
    });

    const seen = new Set<string>();
    const listener = (e: any) => {
      if (e.object.metadata.name === 'storefront-web-prod-us-1')
        seen.add(
          `${e.object.status.sync.status}/${e.object.status.health.status}`,
        );
    };
    sandbox.stores.edge.on('event', listener);
    const { data: merge } = await octokit.pulls.merge({
      owner,
      repo,
      pull_number: pr.number,
    });
    const app = await waitFor(
      () => {
        const a = sandbox.stores.edge.get(
          'applications',
          'argocd',
          'storefront-web-prod-us-1',
        )!;
        return a.status.summary.images[0].endsWith(':1.5.0') &&
          a.status.sync.status === 'Synced' &&
          a.status.health.status === 'Healthy'
          ? a
          : undefined;
      },
      5000,
      'storefront-web-prod-us-1 synced',
    );
    sandbox.stores.edge.off('event', listener);
    expect([...seen]).toEqual(
      expect.arrayContaining([
        'OutOfSync/Healthy',
        'OutOfSync/Progressing',
        'Synced/Healthy',
      ]),
    );
    expect(app.status.sync.revision).toBe(merge.sha);
    expect(app.status.operationState).toMatchObject({
      phase: 'Succeeded',
      syncResult: { revision: merge.sha },
    });
    expect(app.status.history[app.status.history.length - 1]).toMatchObject({
      revision: merge.sha,
      deployedAt: expect.any(String),
      deployStartedAt: expect.any(String),
    });
    // eu is in another instance and also follows prod values.
    await waitFor(
      () =>
        sandbox.stores.core
          .get('applications', 'argocd', 'storefront-web-prod-eu-1')!
          .status.summary.images[0].endsWith(':1.5.0'),
      5000,
      'eu',
    );
  });

  it('creates and deletes Applications from clusters/<cluster>/apps (app of apps)', async () => {
    const manifest = sandbox.stores.core.get(
      'applications',
      'argocd',
      'storefront-web-dev-1',
    )!;
    const copy = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'storefront-web-preview-dev-1',
        namespace: 'argocd',
        labels: manifest.metadata.labels,
      },
      spec: manifest.spec,
    };
    await sandbox.github.store.commitFiles('acme', 'web-gitops', {
      message: 'add preview',
      files: { 'clusters/dev-1/apps/preview.yaml': JSON.stringify(copy) },
    });
    await waitFor(
      () =>
        sandbox.stores.core.get(
          'applications',
          'argocd',
          'storefront-web-preview-dev-1',
        )?.status?.health?.status === 'Healthy',
      5000,
      'created',
    );
    await sandbox.github.store.commitFiles('acme', 'web-gitops', {
      message: 'remove preview',
      files: { 'clusters/dev-1/apps/preview.yaml': null },
    });
    await waitFor(
      () =>
        !sandbox.stores.core.get(
          'applications',
          'argocd',
          'storefront-web-preview-dev-1',
        ),
      5000,
      'deleted',
    );
    expect(sandbox.stores.core.count()).toBe(21);
  });

  it('creates no Application from app of apps while Applications are withheld', async () => {
    const manifest = sandbox.stores.core.get(
      'applications',
      'argocd',
      'storefront-web-dev-1',
    )!;
    const name = 'storefront-web-withheld-dev-1';
    sandbox.reconciler.withholdApplications = true;
    try {
      await sandbox.github.store.commitFiles('acme', 'web-gitops', {
        message: 'add withheld',
        files: {
          'clusters/dev-1/apps/withheld.yaml': JSON.stringify({
            apiVersion: 'argoproj.io/v1alpha1',
            kind: 'Application',
            metadata: { name, namespace: 'argocd' },
            spec: manifest.spec,
          }),
        },
      });
      await sandbox.reconciler.idle();
      expect(sandbox.stores.core.get('applications', 'argocd', name)).toBe(
        undefined,
      );
    } finally {
      sandbox.reconciler.withholdApplications = false;
      await sandbox.github.store.commitFiles('acme', 'web-gitops', {
        message: 'remove withheld',
        files: { 'clusters/dev-1/apps/withheld.yaml': null },
      });
      await sandbox.reconciler.idle();
    }
    expect(sandbox.stores.core.count()).toBe(21);
  });

  it('exposes the control API', async () => {
    const control = (path: string, body?: unknown) =>
      fetch(`${sandbox.urls.control}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(r => r.json());
    await control(
      '/control/applications/core/argocd/checkout-api-dev-1/status',
      { health: { status: 'Degraded' } },
    );
    expect(
      sandbox.stores.core.get('applications', 'argocd', 'checkout-api-dev-1')!
        .status.health.status,
    ).toBe('Degraded');
    await control('/control/faults/edge', { serverError: 503 });
    expect((await argo('/api/v1/applications')).status).toBe(503);
    await control('/control/faults/edge', {
      serverError: null,
      down: 'refuse',
    });
    await expect(argo('/api/v1/applications')).rejects.toThrow();
    await control('/control/faults/edge', { down: null });
    await waitFor(
      async () =>
        (
          await argo('/api/v1/applications').catch(() => ({ status: 0 }))
        ).status === 200,
      5000,
      'edge back up',
    );
    expect(await control('/control/github/writes')).toHaveProperty([
      'acme/web-gitops',
    ]);
  });
});
