import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ClusterState,
  emptyDrift,
  EntityGitopsState,
  PromotionRecord,
  TrackedPromotion,
} from '@backstage-gitops/plugin-gitops-common';
import {
  GitopsPullRequestStatus,
  GitopsRepoClient,
} from '@backstage-gitops/plugin-gitops-node';
import { PromotionTracker } from './PromotionTracker';
import { PullRequestReader } from './PullRequestReader';

const REPO = 'https://github.example/acme/payments-gitops';
const ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-api',
    namespace: 'default',
    annotations: { 'argocd/app-selector': 'app=checkout-api' },
  },
};

function attempt(number: number, overrides: Partial<PromotionRecord> = {}) {
  return {
    id: `attempt-${number}`,
    entityRef: 'component:default/checkout-api',
    actor: 'user:default/jane',
    from: 'staging',
    to: 'prod',
    version: '1.5.0',
    targets: ['prod-eu-1', 'prod-us-1'],
    gates: [],
    pullRequests: [
      {
        wave: 0,
        url: `${REPO}/pull/${number}`,
        number,
        branch: `gitops/promote/checkout-api/prod-${number}`,
        state: 'open' as const,
        action: 'opened' as const,
      },
    ],
    outcome: 'opened' as const,
    message: 'Opened',
    createdAt: '2025-06-04T10:00:00.000Z',
    ...overrides,
  } satisfies PromotionRecord;
}

function cell(
  cluster: string,
  overrides: Partial<ClusterState> = {},
): ClusterState {
  return {
    cluster,
    environment: 'prod',
    sync: 'Synced',
    health: 'Healthy',
    liveVersion: '1.4.2',
    liveImages: [],
    drift: emptyDrift(),
    skew: false,
    ...overrides,
  };
}

function setup(options: { maxReads?: number; ttlMs?: number } = {}) {
  let now = Date.parse('2025-06-04T10:00:00.000Z');
  const clock = () => new Date(now);
  const pulls = new Map<number, GitopsPullRequestStatus | Error>();
  const reads: number[] = [];
  const client = {
    getPullRequest: async (number: number) => {
      reads.push(number);
      const pull = pulls.get(number);
      if (pull instanceof Error) throw pull;
      if (!pull) throw Object.assign(new Error('Not Found'), { status: 404 });
      return pull;
    },
  } as unknown as GitopsRepoClient;
  const reader = new PullRequestReader({
    github: { forRepo: async () => client },
    maxReads: options.maxReads ?? 20,
    ttlMs: options.ttlMs ?? 0,
    clock: () => now,
  });
  let cells: ClusterState[] = [cell('prod-eu-1'), cell('prod-us-1')];
  const audit = {
    tracked: jest.fn(async (): Promise<PromotionRecord[]> => []),
    recordDelivery: jest.fn(async () => {}),
    updatePullRequestStates: jest.fn(async () => 1),
  };
  const tracker = new PromotionTracker({
    audit,
    reader,
    state: {
      getState: async () =>
        ({
          entityRef: 'component:default/checkout-api',
          status: 'ok',
          environments: [{ name: 'prod', clusters: cells }],
          errors: [],
          updatedAt: clock().toISOString(),
        } as unknown as EntityGitopsState),
    },
    store: { onChange: () => () => {} },
    loadEntity: async () => ENTITY,
    config: {
      tracking: {
        pollIntervalMs: 60_000,
        maxReadsPerPoll: options.maxReads ?? 20,
        keepFinishedMs: 24 * 3600_000,
      },
    },
    instances: ['argocd'],
    logger: mockServices.logger.mock(),
    clock,
  });
  const changes: Array<[string, string | undefined]> = [];
  tracker.onChange((p, previous) => changes.push([p.stage, previous]));
  const open = (number: number, extra: Partial<GitopsPullRequestStatus> = {}) =>
    pulls.set(number, {
      state: 'open',
      headSha: 'a'.repeat(40),
      mergeable: true,
      mergeableState: 'clean',
      checks: { state: 'pending', total: 1, failed: 0, pending: 1 },
      ...extra,
    });
  return {
    tracker,
    audit,
    reads,
    changes,
    open,
    merge: (number: number, at: string) =>
      pulls.set(number, { state: 'merged', mergedAt: at, headSha: 'a' }),
    close: (number: number) =>
      pulls.set(number, { state: 'closed', headSha: 'a' }),
    fail: (number: number, error: Error) => pulls.set(number, error),
    setCells: (next: ClusterState[]) => {
      cells = next;
    },
    advance: (ms: number) => {
      now += ms;
    },
    only: (): TrackedPromotion => {
      const [promotion] = tracker.forEntity('component:default/checkout-api');
      return promotion;
    },
  };
}

describe('PromotionTracker', () => {
  it('follows a promotion from the open pull request to deployed, with lead times', async () => {
    const t = setup();
    t.open(7);
    t.tracker.track(attempt(7), ENTITY);
    await t.tracker.poll();
    expect(t.only()).toMatchObject({
      stage: 'open',
      wave: 1,
      pullRequest: { number: 7 },
      checks: { state: 'pending', total: 1 },
      mergeable: true,
      mergeableState: 'clean',
    });

    t.merge(7, '2025-06-04T10:10:00.000Z');
    t.advance(11 * 60_000);
    await t.tracker.poll();
    expect(t.only()).toMatchObject({
      stage: 'syncing',
      mergedAt: '2025-06-04T10:10:00.000Z',
      leadTimes: { openedToMergedMs: 10 * 60_000 },
      targets: [
        { cluster: 'prod-eu-1', liveVersion: '1.4.2', done: false },
        { cluster: 'prod-us-1', liveVersion: '1.4.2', done: false },
      ],
    });
    expect(t.only().checks).toBeUndefined();
    expect(t.audit.recordDelivery).toHaveBeenCalledWith('attempt-7', {
      mergedAt: '2025-06-04T10:10:00.000Z',
    });
    expect(t.audit.updatePullRequestStates).toHaveBeenCalledWith(
      'component:default/checkout-api',
      new Map([[`${REPO}/pull/7`, 'merged']]),
    );

    t.setCells([
      cell('prod-eu-1', { liveVersion: '1.5.0' }),
      cell('prod-us-1', { liveVersion: '1.5.0', sync: 'OutOfSync' }),
    ]);
    await t.tracker.evaluate('component:default/checkout-api');
    expect(t.only().stage).toBe('syncing');
    expect(t.only().targets.map(x => x.done)).toEqual([true, false]);

    t.setCells([
      cell('prod-eu-1', { liveVersion: '1.5.0' }),
      cell('prod-us-1', { liveVersion: '1.5.0' }),
    ]);
    t.advance(60_000);
    await t.tracker.evaluate();
    expect(t.only()).toMatchObject({
      stage: 'deployed',
      deployedAt: '2025-06-04T10:12:00.000Z',
      leadTimes: {
        openedToMergedMs: 10 * 60_000,
        mergedToDeployedMs: 2 * 60_000,
      },
    });
    expect(t.audit.recordDelivery).toHaveBeenLastCalledWith('attempt-7', {
      outcome: 'deployed',
      deployedAt: '2025-06-04T10:12:00.000Z',
    });
    expect(t.changes.map(([stage]) => stage)).toEqual([
      'open',
      'open',
      'syncing',
      'syncing',
      'syncing',
      'deployed',
    ]);
  });

  it('fails a merged promotion when a target turns Degraded running the version', async () => {
    const t = setup();
    t.merge(3, '2025-06-04T10:05:00.000Z');
    t.tracker.track(attempt(3), ENTITY);
    t.setCells([
      cell('prod-eu-1', { liveVersion: '1.5.0', health: 'Degraded' }),
      cell('prod-us-1'),
    ]);
    await t.tracker.poll();
    expect(t.only()).toMatchObject({
      stage: 'failed',
      failure: 'prod-eu-1: Degraded',
    });
    expect(t.audit.recordDelivery).toHaveBeenLastCalledWith(
      'attempt-3',
      expect.objectContaining({
        outcome: 'failed',
        failure: 'prod-eu-1: Degraded',
      }),
    );
  });

  it('fails on a sync that failed after the merge, not on one that failed before', async () => {
    const t = setup();
    t.merge(4, '2025-06-04T10:05:00.000Z');
    t.tracker.track(attempt(4), ENTITY);
    const failedSync = (lastSyncedAt: string) =>
      cell('prod-us-1', {
        sync: 'OutOfSync',
        lastSyncedAt,
        operation: { phase: 'Failed', message: 'one or more objects failed' },
      });
    t.setCells([cell('prod-eu-1'), failedSync('2025-06-04T10:01:00.000Z')]);
    await t.tracker.poll();
    expect(t.only().stage).toBe('syncing');

    t.setCells([cell('prod-eu-1'), failedSync('2025-06-04T10:06:00.000Z')]);
    await t.tracker.evaluate();
    expect(t.only()).toMatchObject({
      stage: 'failed',
      failure: 'prod-us-1: sync failed: one or more objects failed',
    });
  });

  it('deploys a wave once the clusters of its pull request run the version', async () => {
    const t = setup();
    t.merge(6, '2025-06-04T10:05:00.000Z');
    const record = attempt(6);
    record.pullRequests[0] = {
      ...record.pullRequests[0],
      clusters: ['prod-eu-1'],
    };
    t.tracker.track(record, ENTITY);
    t.setCells([
      cell('prod-eu-1', { liveVersion: '1.5.0' }),
      cell('prod-us-1'),
    ]);
    await t.tracker.poll();
    expect(t.only()).toMatchObject({
      stage: 'deployed',
      targets: [{ cluster: 'prod-eu-1', done: true }],
    });
  });

  it('closes a pull request closed without merging', async () => {
    const t = setup();
    t.close(5);
    t.tracker.track(attempt(5), ENTITY);
    await t.tracker.poll();
    expect(t.only().stage).toBe('closed');
    expect(t.audit.recordDelivery).toHaveBeenCalledWith('attempt-5', {
      outcome: 'closed',
    });
  });

  it('reads at most maxReadsPerPoll pull requests per poll, the least recently read first', async () => {
    const t = setup({ maxReads: 2 });
    for (let n = 1; n <= 5; n++) {
      t.open(n);
      t.tracker.track(attempt(n), ENTITY);
    }
    await t.tracker.poll();
    expect(t.reads).toHaveLength(2);
    t.advance(1000);
    await t.tracker.poll();
    t.advance(1000);
    await t.tracker.poll();
    expect(t.reads).toHaveLength(6);
    expect(new Set(t.reads)).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it('serves a pull request read less than ttlMs ago from memory', async () => {
    const t = setup({ ttlMs: 30_000 });
    t.open(1);
    t.tracker.track(attempt(1), ENTITY);
    await t.tracker.poll();
    t.advance(10_000);
    await t.tracker.poll();
    expect(t.reads).toEqual([1]);
    t.advance(30_000);
    await t.tracker.poll();
    expect(t.reads).toEqual([1, 1]);
  });

  it('reads a pull request again past the cache when asked to refresh it', async () => {
    const t = setup({ ttlMs: 60_000 });
    t.open(9);
    t.tracker.track(attempt(9), ENTITY);
    await t.tracker.poll();
    t.merge(9, '2025-06-04T10:01:00.000Z');
    await t.tracker.poll();
    expect(t.reads).toEqual([9]);
    expect(t.only().stage).toBe('open');

    expect(await t.tracker.refresh(`${REPO}/pull/9`)).toBe(true);
    expect(t.reads).toEqual([9, 9]);
    expect(t.only().stage).toBe('syncing');
    expect(await t.tracker.refresh(`${REPO}/pull/9`)).toBe(false);
    expect(await t.tracker.refresh(`${REPO}/pull/404`)).toBe(false);
  });

  it('keeps the last known stage with the error when GitHub cannot be read', async () => {
    const t = setup();
    t.open(2, {
      checks: { state: 'success', total: 1, failed: 0, pending: 0 },
    });
    t.tracker.track(attempt(2), ENTITY);
    await t.tracker.poll();
    t.fail(
      2,
      Object.assign(new Error('Resource not accessible'), { status: 403 }),
    );
    await t.tracker.poll();
    expect(t.only()).toMatchObject({
      stage: 'open',
      checks: { state: 'success' },
      error: { kind: 'forbidden', source: 'git:acme/payments-gitops' },
    });
  });

  it('starts from the unfinished attempts of the audit and drops finished ones after a while', async () => {
    const t = setup();
    t.audit.tracked.mockResolvedValue([
      attempt(8, {
        pullRequests: [{ ...attempt(8).pullRequests[0], state: 'merged' }],
        delivery: { mergedAt: '2025-06-04T09:59:00.000Z' },
      }),
    ]);
    t.setCells([
      cell('prod-eu-1', { liveVersion: '1.5.0' }),
      cell('prod-us-1', { liveVersion: '1.5.0' }),
    ]);
    await t.tracker.start();
    t.tracker.stop();
    expect(t.only()).toMatchObject({ stage: 'deployed', id: 'attempt-8' });
    t.advance(25 * 3600_000);
    expect(t.tracker.forEntity('component:default/checkout-api')).toEqual([]);
  });
});
