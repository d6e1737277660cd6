import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { PromotionRecord } from '@backstage-gitops/plugin-gitops-common';
import { PromotionAuditStore } from './PromotionAuditStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: [
    'SQLITE_3',
    'POSTGRES_18',
    'POSTGRES_17',
    'POSTGRES_16',
    'POSTGRES_15',
    'POSTGRES_14',
    'POSTGRES_13',
  ],
  disableDocker: true,
});

function record(overrides: Partial<PromotionRecord>): PromotionRecord {
  return {
    id: 'id',
    entityRef: 'component:default/checkout-api',
    actor: 'user:default/jane',
    from: 'staging',
    to: 'prod',
    version: '1.5.0',
    targets: ['prod-eu-1', 'prod-us-1'],
    gates: [{ gate: 'permission', passed: true, message: 'ok' }],
    pullRequests: [],
    outcome: 'opened',
    message: 'Opened #1',
    createdAt: '2025-06-04T10:00:00.000Z',
    dryRun: false,
    rollback: false,
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'PromotionAuditStore on %s',
  databaseId => {
    async function createStore(id: TestDatabaseId) {
      const knex = await databases.init(id);
      return PromotionAuditStore.create({
        getClient: async () => knex,
        migrations: { skip: false },
      });
    }

    it('removes the dry runs earlier versions stored, and keeps real attempts', async () => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@backstage-gitops/plugin-gitops-backend',
        'migrations',
      );
      await knex.migrate.up({
        directory,
        name: '20250601000000_promotions.js',
      });
      const row = (id: string, dryRun: boolean) => ({
        id,
        entity_ref: 'component:default/checkout-api',
        actor: 'user:default/jane',
        from_environment: 'staging',
        to_environment: 'prod',
        version: '1.5.0',
        targets: '[]',
        gates: '[]',
        pull_requests: '[]',
        outcome: dryRun ? 'dry-run' : 'opened',
        message: 'm',
        dry_run: dryRun,
        rollback: false,
        created_at: Date.parse('2025-06-04T10:00:00.000Z'),
      });
      await knex('gitops_promotions').insert([
        row('preview', true),
        row('real', false),
      ]);

      const store = await PromotionAuditStore.create({
        getClient: async () => knex,
        migrations: { skip: false },
      });

      expect(
        (await store.list('component:default/checkout-api', { limit: 10 })).map(
          i => i.id,
        ),
      ).toEqual(['real']);
    });

    it('stores every attempt and lists an entity newest first', async () => {
      const store = await createStore(databaseId);
      await store.record(
        record({
          id: 'a',
          outcome: 'blocked',
          createdAt: '2025-06-04T10:00:00.000Z',
        }),
      );
      await store.record(
        record({
          id: 'b',
          createdAt: '2025-06-04T11:00:00.000Z',
          pullRequests: [
            {
              wave: 0,
              url: 'http://x/pull/1',
              number: 1,
              branch: 'b',
              state: 'open',
              action: 'opened',
            },
          ],
        }),
      );
      await store.record(
        record({ id: 'c', entityRef: 'component:default/other' }),
      );
      await store.record(
        record({
          id: 'd',
          dryRun: true,
          outcome: 'dry-run',
          createdAt: '2025-06-04T09:00:00.000Z',
          version: undefined,
        }),
      );

      const items = await store.list('component:default/checkout-api', {
        limit: 10,
      });
      expect(items.map(i => i.id)).toEqual(['b', 'a', 'd']);
      expect(items[0]).toEqual(
        record({
          id: 'b',
          createdAt: '2025-06-04T11:00:00.000Z',
          pullRequests: [
            {
              wave: 0,
              url: 'http://x/pull/1',
              number: 1,
              branch: 'b',
              state: 'open',
              action: 'opened',
            },
          ],
        }),
      );
      expect(items[2]).toMatchObject({
        dryRun: true,
        outcome: 'dry-run',
        version: undefined,
      });
      expect(
        await store.list('component:default/checkout-api', { limit: 1 }),
      ).toHaveLength(1);
    });

    it('stores messages without the credentials of URLs in them', async () => {
      const store = await createStore(databaseId);
      await store.record(
        record({
          id: 'leak',
          outcome: 'failed',
          message:
            'could not read values.yaml from https://x:ghp_s3cret@github.com/acme/gitops.git',
        }),
      );
      const [row] = await store.list('component:default/checkout-api', {
        limit: 1,
      });
      expect(row.message).toBe(
        'could not read values.yaml from https://github.com/acme/gitops.git',
      );
    });

    it('updates the state of open pull requests in every attempt of the entity', async () => {
      const store = await createStore(databaseId);
      const pull = (number: number, state: 'open' | 'closed' | 'merged') => ({
        wave: 0,
        url: `http://x/pull/${number}`,
        number,
        branch: 'b',
        state,
        action: 'opened' as const,
      });
      await store.record(record({ id: 'a', pullRequests: [pull(1, 'open')] }));
      await store.record(
        record({
          id: 'b',
          createdAt: '2025-06-04T11:00:00.000Z',
          pullRequests: [pull(1, 'open'), pull(2, 'open')],
        }),
      );
      await store.record(
        record({ id: 'c', pullRequests: [pull(3, 'closed')] }),
      );
      await store.record(
        record({
          id: 'd',
          entityRef: 'component:default/other',
          pullRequests: [pull(1, 'open')],
        }),
      );

      const updated = await store.updatePullRequestStates(
        'component:default/checkout-api',
        new Map([
          ['http://x/pull/1', 'merged' as const],
          ['http://x/pull/3', 'merged' as const],
        ]),
      );

      expect(updated).toBe(2);
      const states = async (entityRef: string) =>
        Object.fromEntries(
          (await store.list(entityRef, { limit: 10 })).map(i => [
            i.id,
            i.pullRequests.map(p => p.state),
          ]),
        );
      expect(await states('component:default/checkout-api')).toEqual({
        a: ['merged'],
        b: ['merged', 'open'],
        // only open pull requests change: a closed one is not reopened or merged
        c: ['closed'],
      });
      expect(await states('component:default/other')).toEqual({
        d: ['open'],
      });
      expect(
        await store.updatePullRequestStates(
          'component:default/checkout-api',
          new Map(),
        ),
      ).toBe(0);
    });

    it('records merge, deploy and outcome, and lists the attempts a tracker follows', async () => {
      const store = await createStore(databaseId);
      const pull = (number: number, state: 'open' | 'closed' | 'merged') => ({
        wave: 1,
        url: `http://x/pull/${number}`,
        number,
        branch: 'b',
        state,
        action: 'opened' as const,
      });
      await store.record(
        record({ id: 'open', pullRequests: [pull(1, 'open')] }),
      );
      await store.record(
        record({ id: 'syncing', pullRequests: [pull(2, 'merged')] }),
      );
      await store.record(
        record({ id: 'deployed', pullRequests: [pull(3, 'merged')] }),
      );
      await store.record(
        record({ id: 'long-ago', pullRequests: [pull(4, 'merged')] }),
      );
      await store.record(
        record({ id: 'closed', pullRequests: [pull(5, 'closed')] }),
      );
      await store.record(
        record({
          id: 'blocked',
          outcome: 'blocked',
          pullRequests: [pull(6, 'open')],
        }),
      );

      await store.recordDelivery('deployed', {
        outcome: 'deployed',
        mergedAt: '2025-06-04T10:05:00.000Z',
        deployedAt: '2025-06-04T10:09:00.000Z',
      });
      await store.recordDelivery('long-ago', {
        outcome: 'failed',
        mergedAt: '2025-06-01T10:05:00.000Z',
        failedAt: '2025-06-01T10:06:00.000Z',
        failure: 'prod-eu-1: Degraded via https://u:secret@x.example/y',
      });
      await store.recordDelivery('syncing', {
        mergedAt: '2025-06-04T10:05:00.000Z',
      });

      const tracked = await store.tracked({
        finishedSince: new Date('2025-06-04T00:00:00.000Z'),
        limit: 10,
      });
      expect(tracked.map(t => t.id).sort()).toEqual([
        'deployed',
        'open',
        'syncing',
      ]);
      const [longAgo] = (
        await store.list('component:default/checkout-api', { limit: 10 })
      ).filter(r => r.id === 'long-ago');
      expect(longAgo.delivery).toEqual({
        outcome: 'failed',
        mergedAt: '2025-06-01T10:05:00.000Z',
        failedAt: '2025-06-01T10:06:00.000Z',
        failure: 'prod-eu-1: Degraded via https://x.example/y',
      });
      expect(tracked.find(t => t.id === 'syncing')?.delivery).toEqual({
        mergedAt: '2025-06-04T10:05:00.000Z',
      });
      expect(tracked.find(t => t.id === 'open')?.delivery).toBeUndefined();
    });
  },
);
