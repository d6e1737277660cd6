/**
 * Benchmark of the overview route (`GET /api/gitops/v1/overview`) on the sandbox's generated
 * world: 20 Argo CD control planes x 5,000 Applications = 100,000 Applications spread over 2,000
 * services (50 Applications per service on average: services 0-999 run in dev, staging and prod
 * of every control plane, services 1000-1999 in dev and staging), one catalog Component each,
 * owned by 20 teams. Prints p50/p99 of the route for the first page, a filtered page
 * (drifted=true&environment=prod), sort=drifted-longest, a deep cursor page, and a CONDITIONAL
 * permission decision (a new user per request, so no cached decision: the release-owner rule in
 * memory, and the catalog's isEntityOwner through one batched authorize); the largest page in
 * bytes; heap per row as served; the time until every row is served after a cold start.
 *
 * Run: yarn workspace @internal/gitops-bench bench:overview
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  gitopsCatalogConditions,
  OverviewPage,
} from '@backstage-gitops/plugin-gitops-common';
import { GitopsBackendOptions } from '@internal/gitops-integration';
import { heapUsed, out, percentile, timeRequests } from './benchHelpers';
import { OVERVIEW_WORLD, startOverviewWorld, teamOf } from './overviewWorld';

const { clusters: CLUSTERS, applicationsPerCluster: APPS_PER_CLUSTER } =
  OVERVIEW_WORLD;
const {
  services: SERVICES,
  teams: TEAMS,
  latencyMs: LATENCY_MS,
} = OVERVIEW_WORLD;
const REQUESTS = 300;
const GOAL_P99_MS = 100;
const GOAL_PAGE_BYTES = 2 * 1024 * 1024;

type Mode = 'allow' | 'release-owner' | 'entity-owner';

async function main() {
  const total = CLUSTERS * APPS_PER_CLUSTER;
  out(
    `\n## overview: ${SERVICES} services, ${CLUSTERS} control planes x ${APPS_PER_CLUSTER} = ${total} Applications, ${LATENCY_MS} ms upstream latency`,
  );
  let mode: Mode = 'allow';
  const permissions: NonNullable<GitopsBackendOptions['permissions']> = {
    async authorizeConditional(queries) {
      if (mode === 'allow') {
        return queries.map(() => ({ result: AuthorizeResult.ALLOW }));
      }
      const conditions =
        mode === 'release-owner'
          ? gitopsCatalogConditions.isReleaseOwner({ claims: [] })
          : {
              rule: 'IS_ENTITY_OWNER',
              resourceType: 'catalog-entity' as const,
              params: { claims: [teamOf(0)] },
            };
      return queries.map(() => ({
        result: AuthorizeResult.CONDITIONAL,
        pluginId: 'catalog',
        resourceType: 'catalog-entity',
        conditions: { anyOf: [conditions] },
      })) as any;
    },
    // what the catalog answers for isEntityOwner(team-0)
    async authorize(requests) {
      return requests.map(r => ({
        result:
          Number((r as any).resourceRef?.split('svc-')[1]) % TEAMS === 0
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      }));
    },
  };

  const world = await startOverviewWorld({
    stateDir: 'gitops-overview-bench',
    permissions,
  });
  try {
    const { url, headers, get, completeMs } = world;
    // the deep cursor: after 1,500 of 2,000 rows
    let cursor: string | undefined;
    let largestPage = 0;
    const rows: unknown[] = [];
    const heapBefore = heapUsed();
    for (let page = 0; page < 3; page++) {
      const res = await fetch(
        `${url}?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        { headers },
      );
      const text = await res.text();
      largestPage = Math.max(largestPage, Buffer.byteLength(text));
      const body = JSON.parse(text) as OverviewPage;
      rows.push(...body.items);
      cursor = body.nextCursor;
    }
    const deepCursor = cursor!;
    // the rest of the rows, for the heap per row
    const rest = await get(`?limit=500&cursor=${deepCursor}`);
    rows.push(...rest.items);
    const heapPerRow = (heapUsed() - heapBefore) / rows.length;

    const scenarios: Array<[string, string, Mode]> = [
      ['first page (50 rows, sort=name)', '', 'allow'],
      [
        'filtered: drifted=true&environment=prod',
        '?drifted=true&environment=prod',
        'allow',
      ],
      ['sort=drifted-longest', '?sort=drifted-longest', 'allow'],
      [
        'deep cursor page (rows 1,501-1,550)',
        `?limit=50&cursor=${deepCursor}`,
        'allow',
      ],
      [
        'CONDITIONAL, release-owner rule in memory (new user each)',
        '',
        'release-owner',
      ],
      [
        'CONDITIONAL, isEntityOwner via 1 batched authorize (new user each)',
        '',
        'entity-owner',
      ],
    ];
    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const goal = (ok: boolean) => (ok ? 'within goal' : 'OVER goal');
    for (const [n, [label, query, scenarioMode]] of scenarios.entries()) {
      mode = scenarioMode;
      const perUser = scenarioMode !== 'allow';
      let bytes = 0;
      const times = await timeRequests(
        Array.from({ length: REQUESTS }, () => `${url}${query}`),
        perUser
          ? i => ({
              authorization: mockCredentials.user.header(
                `user:default/bench-${n * REQUESTS + i}`,
              ),
            })
          : headers,
        body => {
          bytes = Math.max(bytes, body.byteLength);
        },
      );
      largestPage = Math.max(largestPage, bytes);
      out(
        `${label.padEnd(70)} p50 ${ms(percentile(times, 50))}  p99 ${ms(
          percentile(times, 99),
        )} (goal <= ${GOAL_P99_MS} ms: ${goal(
          percentile(times, 99) <= GOAL_P99_MS,
        )})`,
      );
    }
    const summary = {
      'largest page (limit=500)': `${(largestPage / 1024).toFixed(
        0,
      )} KiB (goal <= 2 MiB: ${goal(largestPage <= GOAL_PAGE_BYTES)})`,
      'heap per row (rows as served, parsed)': `${heapPerRow.toFixed(0)} bytes`,
      'cold start until every row is served': ms(completeMs),
    };
    for (const [k, v] of Object.entries(summary)) out(`${k.padEnd(70)} ${v}`);
  } finally {
    await world.stop();
  }
}

if (require.main === module) {
  main()
    .then(() => process.exit(0))
    .catch(error => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exit(1);
    });
}
