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
    expect(sandbox.stores.core.count()).toBe(9);
    expect(sandbox.stores.edge.count()).toBe(3);
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
    expect(
      await argo(
        '/api/v1/applications/checkout-api-prod-us-1',
        'sandbox-edge-web-token',
      ),
    ).toMatchObject({ status: 403, body: { code: 7 } });
    expect(await argo('/api/v1/applications/nope')).toMatchObject({
      status: 404,
      body: { code: 5 },
    });
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
    expect(sandbox.stores.core.count()).toBe(9);
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
