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
  },
);
