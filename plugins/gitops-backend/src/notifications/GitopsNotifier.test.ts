import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader, JsonObject } from '@backstage/config';
import { TrackedPromotion } from '@backstage-gitops/plugin-gitops-common';
import { readGitopsConfig } from '@backstage-gitops/plugin-gitops-node';
import { fullApplication } from '../__testUtils__/applications';
import { ApplicationEpisodes } from '../episodes/ApplicationEpisodes';
import { projectApplication } from '../sources/projectApplication';
import { SlimApplication } from '../sources/types';
import { ApplicationStore } from '../store/ApplicationStore';
import { GitopsNotifier } from './GitopsNotifier';

const MINUTE = 60_000;

function gitopsConfig(notifications?: JsonObject) {
  return readGitopsConfig(
    new ConfigReader({
      app: { baseUrl: 'https://portal.example' },
      gitops: {
        environments: [
          { name: 'staging', title: 'Staging', clusters: ['staging-1'] },
          { name: 'prod', title: 'Production', clusters: ['prod-eu-1'] },
        ],
        clusters: [{ name: 'staging-1' }, { name: 'prod-eu-1' }],
        ...(notifications ? { notifications } : {}),
      },
    }),
  );
}

let resourceVersion = 0;
const app = (
  cluster: string,
  options: { sync?: string } = {},
): SlimApplication =>
  projectApplication(
    fullApplication({
      name: `checkout-${cluster}`,
      service: 'checkout',
      cluster,
      version: '1.0.0',
      resourceVersion: String(++resourceVersion),
      ...options,
    }),
  );

function world(notifications?: JsonObject) {
  const store = new ApplicationStore([]);
  const episodes = new ApplicationEpisodes();
  store.onChange(change => episodes.observe(change));
  const send = jest.fn(async () => {});
  const notifier = new GitopsNotifier({
    notifications: { send },
    episodes,
    store,
    claims: {
      claimantsOf: async () => [
        {
          entityRef: 'component:default/checkout',
          owner: 'group:default/team-payments',
        },
        { entityRef: 'component:default/orphan' },
      ],
      ownerOf: async ref =>
        ref === 'component:default/checkout'
          ? 'group:default/team-payments'
          : undefined,
    },
    config: gitopsConfig(notifications),
    logger: mockServices.logger.mock(),
  });
  notifier.start();
  const settle = async (ms: number) => {
    await jest.advanceTimersByTimeAsync(ms);
  };
  return { store, send, notifier, settle };
}

const promotion = (stage: TrackedPromotion['stage']): TrackedPromotion => ({
  id: 'p-1',
  entityRef: 'component:default/checkout',
  from: 'staging',
  to: 'prod',
  version: '1.2.0',
  wave: 1,
  pullRequest: { url: 'https://github.example/pr/7', number: 7, branch: 'b' },
  stage,
  openedAt: '2026-01-01T00:00:00Z',
  targets: [],
  ...(stage === 'failed' ? { failure: 'prod-eu-1: Degraded' } : {}),
});

describe('GitopsNotifier', () => {
  beforeEach(() =>
    jest.useFakeTimers({ now: Date.parse('2026-01-01T00:00:00Z') }),
  );
  afterEach(() => jest.useRealTimers());

  it('notifies the owning group once of production drift that outlasts 15 minutes', async () => {
    const w = world();
    w.store.upsert('core', app('prod-eu-1'));
    w.store.upsert('core', app('prod-eu-1', { sync: 'OutOfSync' }));
    await w.settle(14 * MINUTE);
    expect(w.send).not.toHaveBeenCalled();
    await w.settle(2 * MINUTE);
    expect(w.send).toHaveBeenCalledTimes(1);
    expect(w.send).toHaveBeenCalledWith({
      recipients: { type: 'entity', entityRef: 'group:default/team-payments' },
      payload: expect.objectContaining({
        title: 'checkout drifted in Production (prod-eu-1)',
        link: 'https://portal.example/catalog/default/component/checkout/gitops',
        topic: 'gitops:drift',
        scope:
          'gitops:drift:component:default/checkout:core/argocd/checkout-prod-eu-1',
      }),
    });
    await w.settle(60 * MINUTE);
    expect(w.send).toHaveBeenCalledTimes(1);
    w.notifier.stop();
  });

  it('sends nothing for drift shorter than the threshold, nor outside the notified environments', async () => {
    const w = world();
    w.store.upsert('core', app('prod-eu-1', { sync: 'OutOfSync' }));
    w.store.upsert('core', app('staging-1', { sync: 'OutOfSync' }));
    await w.settle(10 * MINUTE);
    w.store.upsert('core', app('prod-eu-1'));
    await w.settle(60 * MINUTE);
    expect(w.send).not.toHaveBeenCalled();
    w.notifier.stop();
  });

  it('follows the per-environment config and the off switch', async () => {
    const staging = world({
      environments: {
        staging: { driftAfter: '1 minute', syncFailures: false },
      },
    });
    staging.store.upsert('core', app('staging-1', { sync: 'OutOfSync' }));
    staging.store.upsert('core', app('prod-eu-1', { sync: 'OutOfSync' }));
    await staging.settle(2 * MINUTE);
    expect(staging.send).toHaveBeenCalledTimes(1);
    expect(staging.send.mock.calls[0]).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          title: 'checkout drifted in Staging (staging-1)',
        }),
      }),
    ]);
    staging.notifier.stop();

    const off = world({ enabled: false });
    off.store.upsert('core', app('prod-eu-1', { sync: 'OutOfSync' }));
    await off.settle(60 * MINUTE);
    await off.notifier.notifyPromotion(promotion('deployed'));
    expect(off.send).not.toHaveBeenCalled();
  });

  it('notifies a production sync failure once per episode', async () => {
    const w = world();
    const failing = (message: string): SlimApplication => ({
      ...app('prod-eu-1'),
      operation: { phase: 'Failed', message },
      lastSyncedAt: new Date().toISOString(),
    });
    w.store.upsert('core', app('prod-eu-1'));
    w.store.upsert('core', failing('hook failed'));
    w.store.upsert('core', failing('hook failed again (retried 1 times)'));
    await w.settle(0);
    expect(w.send).toHaveBeenCalledTimes(1);
    expect(w.send.mock.calls[0]).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({
          title: 'Sync of checkout failed in Production (prod-eu-1)',
          description: expect.stringContaining('hook failed'),
          topic: 'gitops:sync-failed',
        }),
      }),
    ]);

    w.store.upsert('core', {
      ...app('prod-eu-1'),
      operation: { phase: 'Succeeded', message: 'ok' },
    });
    w.store.upsert('core', failing('hook failed'));
    await w.settle(0);
    expect(w.send).toHaveBeenCalledTimes(2);
    w.notifier.stop();
  });

  it('notifies a promotion deployed or failed once each, to the entity owner', async () => {
    const w = world();
    await w.notifier.notifyPromotion(promotion('syncing'));
    await w.notifier.notifyPromotion(promotion('deployed'));
    await w.notifier.notifyPromotion(promotion('deployed'));
    await w.notifier.notifyPromotion(promotion('failed'));
    expect(w.send.mock.calls.map(([o]: any) => o.payload.title)).toEqual([
      'checkout 1.2.0 deployed to Production',
      'Promotion of checkout 1.2.0 to Production failed',
    ]);
    expect(w.send.mock.calls[1]).toEqual([
      {
        recipients: {
          type: 'entity',
          entityRef: 'group:default/team-payments',
        },
        payload: expect.objectContaining({
          scope: 'gitops:promotion:p-1',
          description: 'After pull request #7 was merged: prod-eu-1: Degraded.',
        }),
      },
    ]);
    await w.notifier.notifyPromotion({
      ...promotion('deployed'),
      to: 'staging',
    });
    expect(w.send).toHaveBeenCalledTimes(2);
    w.notifier.stop();
  });
});
