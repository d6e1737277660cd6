import { PromotionRequest } from '@backstage-gitops/plugin-gitops-common';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { executePromotion } from './executePromotion';
import { parseFreezeWindow } from './freezeWindows';
import { planPromotion } from './planPromotion';
import {
  cell,
  deps,
  entityState,
  FakeRepo,
  ownerContext,
  promotionConfig,
  stateReader,
} from './__testUtils__/fakes';

const PROD_VALUES = [
  '# checkout-api in production',
  'replicaCount: 4',
  'image:',
  '  repository: ghcr.io/acme/checkout-api',
  '  tag: "1.4.2" # promoted from staging',
  '',
].join('\n');

const owner = ownerContext;

function world(
  options: { stagingVersion?: string; prodVersion?: string } = {},
) {
  const staging = options.stagingVersion ?? '1.5.0';
  const repo = new FakeRepo({
    'apps/checkout-api/envs/prod/values.yaml': PROD_VALUES.replace(
      '1.4.2',
      options.prodVersion ?? '1.4.2',
    ),
    'apps/checkout-api/envs/staging/values.yaml': `image:\n  tag: ${staging}\n`,
  });
  const state = entityState([
    cell('staging', 'staging-1', {
      liveVersion: staging,
      liveImages: [
        `ghcr.io/acme/checkout-api:${staging}@sha256:${'c'.repeat(64)}`,
      ],
    }),
    cell('prod', 'prod-eu-1', { liveVersion: '1.4.2' }),
    cell('prod', 'prod-us-1', { liveVersion: '1.4.2' }),
  ]);
  return { repo, state };
}

const request = {
  entityRef: 'component:default/checkout-api',
  from: 'staging',
  to: 'prod',
};

describe('planPromotion', () => {
  it('plans the exact edit of the target file from what the source runs', async () => {
    const { repo, state } = world();
    const plan = await planPromotion(
      request,
      owner,
      deps(repo, stateReader(state)),
    );

    expect(plan.version).toBe('1.5.0');
    expect(plan.noop).toBe(false);
    expect(plan.gates.every(g => g.passed)).toBe(true);
    expect(plan.waves).toHaveLength(1);
    const [edit] = plan.waves[0].edits;
    expect(edit).toMatchObject({
      path: 'apps/checkout-api/envs/prod/values.yaml',
      clusters: ['prod-eu-1', 'prod-us-1'],
      fromVersion: '1.4.2',
      toVersion: '1.5.0',
      field: 'image.tag',
      line: 5,
    });
    expect(edit.diff).toContain('-  tag: "1.4.2" # promoted from staging');
    expect(edit.diff).toContain('+  tag: "1.5.0" # promoted from staging');
    expect(plan.waves[0].branch).toBe('gitops/promote/checkout-api/prod');
    expect(plan.source?.digest).toBe(`sha256:${'c'.repeat(64)}`);
    expect(plan.entityUrl).toBe(
      'http://portal.example/catalog/default/component/checkout-api/gitops',
    );
    expect(repo.writes).toBe(0);
  });

  it('fails the source gate when the source is not Synced and Healthy', async () => {
    const { repo } = world();
    const state = entityState([
      cell('staging', 'staging-1', {
        liveVersion: '1.5.0',
        health: 'Degraded',
      }),
      cell('prod', 'prod-eu-1'),
      cell('prod', 'prod-us-1'),
    ]);
    const d = deps(repo, stateReader(state));
    const plan = await planPromotion(request, owner, d);
    const gate = plan.gates.find(g => g.gate === 'source-synced-healthy');
    expect(gate?.passed).toBe(false);
    expect(gate?.message).toContain('staging-1 is Synced/Degraded at 1.5.0');

    const result = await executePromotion(plan, owner, d);
    expect(result.outcome).toBe('blocked');
    expect(repo.writes).toBe(0);
  });

  it('fails the source gate for a version the source does not run', async () => {
    const { repo, state } = world();
    const plan = await planPromotion(
      { ...request, version: '9.9.9' },
      owner,
      deps(repo, stateReader(state)),
    );
    const gate = plan.gates.find(g => g.gate === 'version-in-history');
    expect(gate?.passed).toBe(false);
    expect(gate?.message).toMatch(/neither the history of prod nor of staging/);
  });

  it('allows a rollback to a version from the history', async () => {
    const { repo, state } = world();
    const plan = await planPromotion(
      { ...request, version: '1.3.0' },
      owner,
      deps(repo, stateReader(state, { prod: ['1.4.2', '1.3.0'] })),
    );
    expect(plan.rollback).toBe(true);
    expect(plan.gates.every(g => g.passed)).toBe(true);
    expect(plan.waves[0].edits[0].toVersion).toBe('1.3.0');
  });

  it('records a denied permission as a failed gate', async () => {
    const { repo, state } = world();
    const d = deps(repo, stateReader(state));
    const plan = await planPromotion(
      request,
      { ...owner, permitted: false },
      d,
    );
    expect(plan.gates.find(g => g.gate === 'permission')?.passed).toBe(false);
    expect((await executePromotion(plan, owner, d)).outcome).toBe('blocked');
    expect(repo.writes).toBe(0);
  });

  it('fails the freeze gate inside a freeze window', async () => {
    const { repo, state } = world();
    const config = promotionConfig({
      freezeWindows: [
        parseFreezeWindow({
          environments: ['prod'],
          start: 'Wed 08:00',
          end: 'Thu 08:00',
          reason: 'release week',
        }),
      ],
    });
    const plan = await planPromotion(
      request,
      owner,
      deps(repo, stateReader(state), config),
    );
    const gate = plan.gates.find(g => g.gate === 'freeze-window');
    expect(gate?.passed).toBe(false);
    expect(gate?.message).toContain('release week');
  });

  it.each<[Partial<PromotionRequest>, new (message: string) => Error, RegExp]>([
    [{ from: 'qa' }, InputError, /Unknown environment "qa"/],
    [{ to: 'staging', from: 'prod' }, InputError, /go forward/],
    [{ targets: ['prod-ap-1'] }, InputError, /Unknown target cluster/],
    [
      { targets: ['prod-eu-1'] },
      ConflictError,
      /sets the version of prod-us-1 too/,
    ],
    [{ version: '1.5.0\nreplicaCount: 0' }, InputError, /Invalid version/],
    [
      {
        expectedBlobShas: { 'apps/checkout-api/envs/prod/values.yaml': 'abc' },
      },
      ConflictError,
      /changed since the plan/,
    ],
  ])('refuses %j', async (overrides, type, message) => {
    const { repo, state } = world();
    const promise = planPromotion(
      { ...request, ...overrides },
      owner,
      deps(repo, stateReader(state)),
    );
    await expect(promise).rejects.toThrow(type);
    await expect(promise).rejects.toThrow(message);
    expect(repo.writes).toBe(0);
  });

  it('answers 404 when the entity has no Application in an environment', async () => {
    const { repo } = world();
    const state = entityState([
      cell('staging', 'staging-1', { liveVersion: '1.5.0' }),
    ]);
    await expect(
      planPromotion(request, owner, deps(repo, stateReader(state))),
    ).rejects.toThrow(NotFoundError);
  });
});

describe('executePromotion', () => {
  it('opens one pull request on a promotion branch and never writes main', async () => {
    const { repo, state } = world();
    const d = deps(repo, stateReader(state));
    const mainBefore = repo.branches.get('main');

    const plan = await planPromotion(request, owner, d);
    const result = await executePromotion(plan, owner, d);

    expect(result.outcome).toBe('opened');
    expect(result.pullRequests).toEqual([
      expect.objectContaining({
        number: 1,
        action: 'opened',
        branch: 'gitops/promote/checkout-api/prod',
      }),
    ]);
    expect(repo.branches.get('main')).toBe(mainBefore);
    expect(
      repo.fileAt(
        'gitops/promote/checkout-api/prod',
        'apps/checkout-api/envs/prod/values.yaml',
      ),
    ).toBe(PROD_VALUES.replace('"1.4.2"', '"1.5.0"'));
    const [pull] = repo.pulls;
    expect(pull.labels).toEqual(['promotion']);
    expect(pull.title).toBe('Promote checkout-api to 1.5.0 in prod');
    expect(pull.body).toContain('`group:default/payments`');
    expect(pull.body).toContain('`user:default/jane`');
    expect(pull.body).toContain('staging-1 Synced/Healthy at 1.5.0');
    expect(pull.body).toContain(
      '/compare/main...gitops/promote/checkout-api/prod',
    );
    expect(pull.body).toContain('Revert this pull request');
    expect(repo.calls.length).toBeLessThanOrEqual(8);
  });

  it('writes nothing on a re-run', async () => {
    const { repo, state } = world();
    const d = deps(repo, stateReader(state));
    await executePromotion(await planPromotion(request, owner, d), owner, d);
    const writes = repo.writes;

    const again = await executePromotion(
      await planPromotion(request, owner, d),
      owner,
      d,
    );
    expect(again.outcome).toBe('noop');
    expect(again.pullRequests[0].action).toBe('unchanged');
    expect(repo.writes).toBe(writes);
  });

  it('is a no-op when the target already has the version', async () => {
    const { repo, state } = world({ prodVersion: '1.5.0' });
    const d = deps(repo, stateReader(state));
    const plan = await planPromotion(request, owner, d);
    expect(plan.noop).toBe(true);
    expect((await executePromotion(plan, owner, d)).outcome).toBe('noop');
    expect(repo.writes).toBe(0);
  });

  it('supersedes the open pull request with a newer version', async () => {
    const first = world();
    const d1 = deps(first.repo, stateReader(first.state));
    await executePromotion(await planPromotion(request, owner, d1), owner, d1);

    const newer = world({ stagingVersion: '1.6.0' }).state;
    const d2 = deps(first.repo, stateReader(newer));
    const result = await executePromotion(
      await planPromotion(request, owner, d2),
      owner,
      d2,
    );

    expect(result.outcome).toBe('updated');
    expect(result.superseded).toEqual([
      expect.objectContaining({ number: 1, action: 'updated' }),
    ]);
    expect(first.repo.pulls).toHaveLength(1);
    expect(first.repo.pulls[0].title).toContain('1.6.0');
    expect(first.repo.comments[0].body).toMatch(
      /now promotes \*\*1\.6\.0\*\* \(was 1\.5\.0\)/,
    );
    expect(
      first.repo.fileAt(
        'gitops/promote/checkout-api/prod',
        'apps/checkout-api/envs/prod/values.yaml',
      ),
    ).toContain('tag: "1.6.0"');
    expect(first.repo.calls.filter(c => c === 'createPull')).toHaveLength(1);
  });

  it.each([
    [
      { type: 'helm-parameter' as const, name: 'image.tag' },
      'apps/checkout-api',
      'The version comes from the helm.parameters item image.tag in the Application itself',
    ],
    [
      { type: 'helm-inline-values' as const, key: 'image.tag' },
      'apps/checkout-api',
      'The version comes from the helm.valuesObject / helm.values key image.tag',
    ],
    [
      {
        type: 'kustomize-image' as const,
        image: 'acme/checkout-api',
        inApplication: true,
      },
      'apps/checkout-api/overlays/prod',
      'The version comes from spec.source.kustomize.images (acme/checkout-api) in the Application itself',
    ],
  ])(
    'refuses (409) a version held in the Application (%j), reading and writing nothing',
    async (locator, path, message) => {
      const { repo, state } = world();
      const prod = state.environments.find(e => e.name === 'prod')!;
      for (const c of prod.clusters) {
        c.desiredSource = { ...c.desiredSource!, path, locator };
      }
      const planned = planPromotion(
        request,
        owner,
        deps(repo, stateReader(state)),
      );
      await expect(planned).rejects.toThrow(ConflictError);
      await expect(planned).rejects.toThrow(message);
      expect(repo.calls).toEqual([]);
      expect(repo.writes).toBe(0);
    },
  );

  it('refuses (409) a chart targetRevision range', async () => {
    const { repo, state } = world();
    const prod = state.environments.find(e => e.name === 'prod')!;
    for (const c of prod.clusters) {
      c.desiredSource = {
        ...c.desiredSource!,
        path: 'clusters/prod/apps/checkout-api.yaml',
        ref: '^1.4.0',
        locator: { type: 'chart-revision' },
      };
    }
    await expect(
      planPromotion(request, owner, deps(repo, stateReader(state))),
    ).rejects.toThrow(
      'The chart targetRevision is the range ^1.4.0, so Argo CD picks the newest chart in it',
    );
    expect(repo.calls).toEqual([]);
  });

  it('gives exactly one pull request for 10 simultaneous identical promotions', async () => {
    const { repo, state } = world();
    repo.latency = 5;
    const d = deps(repo, stateReader(state));
    const results = await Promise.all(
      Array.from({ length: 10 }, async () =>
        executePromotion(await planPromotion(request, owner, d), owner, d),
      ),
    );
    expect(repo.pulls).toHaveLength(1);
    expect(results.filter(r => r.outcome === 'opened')).toHaveLength(1);
    expect(results.filter(r => r.outcome === 'noop')).toHaveLength(9);
  });

  it('opens the first wave only and records the others', async () => {
    const manifest = (cluster: string) =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nspec:\n  source:\n    chart: storefront-web\n    targetRevision: 1.4.2\n  destination:\n    name: ${cluster}\n`;
    const repo = new FakeRepo({
      'clusters/prod-eu-1/apps/storefront-web.yaml': manifest('prod-eu-1'),
      'clusters/prod-us-1/apps/storefront-web.yaml': manifest('prod-us-1'),
    });
    const chart = (cluster: string) => ({
      source: {
        path: `clusters/${cluster}/apps/storefront-web.yaml`,
        locator: { type: 'chart-revision' as const },
      },
    });
    const state = entityState([
      cell('staging', 'staging-1', { liveVersion: '1.5.0' }),
      cell('prod', 'prod-eu-1', chart('prod-eu-1')),
      cell('prod', 'prod-us-1', chart('prod-us-1')),
    ]);
    const d = deps(
      repo,
      stateReader(state),
      promotionConfig({ waves: { prod: [['prod-eu-1'], ['prod-us-1']] } }),
    );

    const plan = await planPromotion(request, owner, d);
    expect(plan.waves.map(w => w.branch)).toEqual([
      'gitops/promote/checkout-api/prod--prod-eu-1',
      'gitops/promote/checkout-api/prod--prod-us-1',
    ]);
    const result = await executePromotion(plan, owner, d);
    expect(result.outcome).toBe('opened');
    expect(result.remainingWaves).toEqual([
      { index: 1, clusters: ['prod-us-1'] },
    ]);
    expect(
      repo.fileAt(
        'gitops/promote/checkout-api/prod--prod-eu-1',
        'clusters/prod-eu-1/apps/storefront-web.yaml',
      ),
    ).toContain('targetRevision: 1.5.0');
    expect(
      repo.fileAt(
        'gitops/promote/checkout-api/prod--prod-eu-1',
        'clusters/prod-us-1/apps/storefront-web.yaml',
      ),
    ).toContain('targetRevision: 1.4.2');
  });

  it('merges waves that share a file and says so', async () => {
    const { repo, state } = world();
    const d = deps(
      repo,
      stateReader(state),
      promotionConfig({ waves: { prod: [['prod-eu-1'], ['prod-us-1']] } }),
    );
    const plan = await planPromotion(request, owner, d);
    expect(plan.waves).toHaveLength(1);
    expect(plan.waves[0].clusters).toEqual(['prod-eu-1', 'prod-us-1']);
    expect(plan.notes?.[0]).toContain(
      'share apps/checkout-api/envs/prod/values.yaml',
    );
  });

  it('keeps a pinned digest format and takes the digest from the source', async () => {
    const { state } = world();
    const repo = new FakeRepo({
      'apps/checkout-api/envs/prod/values.yaml': `image:\n  tag: 1.4.2@sha256:${'a'.repeat(
        64,
      )}\n`,
    });
    const d = deps(repo, stateReader(state));
    const plan = await planPromotion(request, owner, d);
    expect(plan.waves[0].edits[0].toVersion).toBe(
      `1.5.0@sha256:${'c'.repeat(64)}`,
    );
  });

  it('recomputes the edit from the planned blob when the plan comes from elsewhere', async () => {
    const { repo, state } = world();
    const d = deps(repo, stateReader(state));
    const plan = JSON.parse(
      JSON.stringify(await planPromotion(request, owner, d)),
    );
    plan.waves[0].edits[0].field = 'not-remembered';
    const result = await executePromotion(plan, owner, d);
    expect(result.outcome).toBe('opened');
    expect(repo.calls).toContain('getBlob');
    expect(
      repo.fileAt(
        'gitops/promote/checkout-api/prod',
        'apps/checkout-api/envs/prod/values.yaml',
      ),
    ).toBe(PROD_VALUES.replace('"1.4.2"', '"1.5.0"'));
  });
});
