import {
  EntityGitopsState,
  gitopsStateChannel,
} from '@backstage-gitops/plugin-gitops-common';
import { Sandbox, startIsolatedSandbox } from '@internal/gitops-sandbox';
import { SignalsTab, signIn } from './signals';
import {
  postgresConnectionString,
  Replica,
  Replicas,
  startReplicas,
} from './startReplicas';

jest.setTimeout(240_000);

const connection = postgresConnectionString();
const inCi = process.env.CI === 'true';
if (!connection && !inCi) {
  // eslint-disable-next-line no-console
  console.warn(
    'Skipping the two-replica tests: no PostgreSQL. Start it as `.ci/run` does (scripts/postgres.sh exports BACKSTAGE_TEST_DATABASE_POSTGRES<n>_CONNECTION_STRING).',
  );
}

const CHECKOUT = 'component:default/checkout-api';
const STOREFRONT = 'component:default/storefront-web';
const BRANCH = 'gitops/promote/storefront-web/prod';

/** Polls until `check` gives a value, or fails saying what it waited for. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

(connection || inCi ? describe : describe.skip)(
  'two backend replicas on one PostgreSQL',
  () => {
    let sandbox: Sandbox;
    let replicas: Replicas;
    let a: Replica;
    let b: Replica;
    let token: string;

    beforeAll(async () => {
      if (!connection) {
        throw new Error(
          'CI=true but no PostgreSQL: BACKSTAGE_TEST_DATABASE_POSTGRES<n>_CONNECTION_STRING is not set (scripts/postgres.sh sets it)',
        );
      }
      sandbox = await startIsolatedSandbox('gitops-replicas', {
        control: false,
      });
      replicas = await startReplicas({
        sandbox,
        connection,
        names: ['a', 'b'],
      });
      [a, b] = replicas.replicas;
      token = await signIn(a.baseUrl);
    });

    afterAll(async () => {
      await replicas?.stop();
      await sandbox?.stop();
    });

    async function api(replica: Replica, route: string, init?: RequestInit) {
      const res = await fetch(`${replica.baseUrl}/api/gitops${route}`, {
        ...init,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
      });
      return { status: res.status, body: await res.json() };
    }

    async function state(replica: Replica, entityRef: string) {
      const [kind, rest] = entityRef.split(':');
      const [namespace, name] = rest.split('/');
      const res = await api(replica, `/v1/state/${kind}/${namespace}/${name}`);
      expect(res.status).toBe(200);
      return res.body as EntityGitopsState;
    }

    function health(s: EntityGitopsState, cluster: string) {
      return s.environments
        .flatMap(e => e.clusters)
        .find(c => c.cluster === cluster)?.health;
    }

    it('shows a tab connected to replica A a change that only replica B was asked about, within 2 s', async () => {
      const tab = await SignalsTab.connect(a.baseUrl, token);
      try {
        tab.subscribe(gitopsStateChannel(CHECKOUT));
        // the tab's state requests went to B (the load balancer's choice): only B has the
        // entity among its recently asked ones, so only B publishes its signals
        const before = await eventually('staging-1 on replica B', async () =>
          health(await state(b, CHECKOUT), 'staging-1') &&
          health(await state(b, CHECKOUT), 'staging-1') !== 'Unknown'
            ? health(await state(b, CHECKOUT), 'staging-1')
            : undefined,
        );
        const next = before === 'Degraded' ? 'Healthy' : 'Degraded';

        const changedAt = Date.now();
        sandbox.setApplicationStatus(
          'core',
          'argocd',
          'checkout-api-staging-1',
          {
            health: { status: next },
          },
        );

        const signal = await eventually('the signal on replica A', () =>
          tab.received.find(
            s =>
              s.channel === gitopsStateChannel(CHECKOUT) && s.at >= changedAt,
          ),
        );
        expect(signal.message).toMatchObject({ entityRef: CHECKOUT });
        expect(signal.at - changedAt).toBeLessThan(2000);
        // B observed it, and what the tab then reads shows it, from either replica
        expect(health(await state(b, CHECKOUT), 'staging-1')).toBe(next);
        await eventually('the change on replica A', async () =>
          health(await state(a, CHECKOUT), 'staging-1') === next
            ? true
            : undefined,
        );
      } finally {
        tab.close();
      }
    });

    it('opens exactly one pull request for ten concurrent promotions spread over both replicas, with one audit trail both read alike', async () => {
      await eventually('storefront-web staging on both replicas', async () => {
        const [sa, sb] = [
          await state(a, STOREFRONT),
          await state(b, STOREFRONT),
        ];
        return health(sa, 'staging-1') && health(sb, 'staging-1')
          ? true
          : undefined;
      });
      const pulls = () =>
        sandbox.github.store
          .get('acme', 'web-gitops')
          .pulls.filter(p => p.head.startsWith(BRANCH));
      expect(pulls()).toEqual([]);

      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          api(i % 2 ? b : a, '/v1/promotions', {
            method: 'POST',
            body: JSON.stringify({
              entityRef: STOREFRONT,
              from: 'staging',
              to: 'prod',
            }),
          }),
        ),
      );

      expect(
        responses
          .map(r => [r.status, r.body.error?.message])
          .filter(([s]) => s >= 300),
      ).toEqual([]);
      const outcomes = responses.map(r => r.body.outcome);
      expect(outcomes.filter(o => o === 'opened')).toHaveLength(1);
      expect(
        outcomes.every(o => ['opened', 'updated', 'noop'].includes(o)),
      ).toBe(true);
      const numbers = new Set(
        responses.flatMap(r => r.body.pullRequests.map((p: any) => p.number)),
      );
      expect(numbers.size).toBe(1);
      expect(pulls()).toHaveLength(1);
      expect(pulls()[0]).toMatchObject({
        state: 'open',
        number: [...numbers][0],
      });

      const audit = async (replica: Replica) => {
        const res = await api(
          replica,
          `/v1/promotions?entityRef=${encodeURIComponent(STOREFRONT)}`,
        );
        expect(res.status).toBe(200);
        return res.body;
      };
      const [fromA, fromB] = [await audit(a), await audit(b)];
      expect(fromA.errors).toEqual([]);
      expect(fromA.items).toHaveLength(10);
      expect(
        fromA.items.filter((r: any) => r.outcome === 'opened'),
      ).toHaveLength(1);
      expect(
        new Set(
          fromA.items.flatMap((r: any) =>
            r.pullRequests.map((p: any) => p.number),
          ),
        ),
      ).toEqual(numbers);
      expect(fromB).toEqual(fromA);
    });
  },
);
