/**
 * Benchmark of promotions against the sandbox's GitHub stand-in with 50 ms of latency per
 * GitHub request: GitHub calls and wall time of a first promotion (opens a pull request), a
 * re-run (writes nothing) and a newer version (supersedes the open pull request).
 *
 * Run: yarn workspace @internal/gitops-bench bench:promotion
 */
import {
  countingGithubFactory,
  planAndExecute,
  sandboxPromotionConfig,
  staticStateReader,
  storefrontContext,
  storefrontPromotion,
  storefrontState,
  startPromotionSandbox,
} from '@internal/gitops-promotion-tests';
import { Sandbox } from '@internal/gitops-sandbox';

const LATENCY_MS = 50;
const GOAL_CALLS = 8;

/** One measured promotion. */
export interface PromotionBenchRow {
  scenario: string;
  outcome: string;
  calls: number;
  writes: number;
  wallMs: number;
  /** The slowest GitHub route of the promotion, with its time. */
  slowest: string;
}

/** Runs the scenarios against a running sandbox and returns one row each. */
export async function runPromotionBenchmark(
  sandbox: Sandbox,
): Promise<PromotionBenchRow[]> {
  // latency is the stand-in's own (a fault of target `github`); the client only counts
  const github = countingGithubFactory(sandbox);
  const context = storefrontContext('user:default/bench');
  const request = storefrontPromotion;
  const rows: PromotionBenchRow[] = [];
  for (const [scenario, version] of [
    ['open a pull request', '1.5.0'],
    ['re-run (idempotent)', '1.5.0'],
    ['supersede with a newer version', '1.6.0'],
  ] as const) {
    const deps = {
      state: staticStateReader(storefrontState(sandbox, version)),
      github: github.factory,
      config: sandboxPromotionConfig(sandbox),
    };
    github.reset();
    const started = performance.now();
    const result = await planAndExecute(request, context, deps);
    rows.push({
      scenario,
      outcome: result.outcome,
      calls: github.counts.calls,
      writes: github.counts.writes,
      wallMs: Math.round(performance.now() - started),
      slowest: Object.entries(github.counts.msByRoute)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 1)
        .map(([route, ms]) => `${route} ${ms} ms`)
        .join(''),
    });
  }
  return rows;
}

async function main() {
  const sandbox = await startPromotionSandbox({
    latencyMs: { github: LATENCY_MS },
  });
  try {
    const rows = await runPromotionBenchmark(sandbox);
    process.stdout.write(
      `Promotion benchmark (GitHub latency ${LATENCY_MS} ms per request, goal <= ${GOAL_CALLS} calls)\n`,
    );
    console.table(rows);
    const worst = Math.max(...rows.map(r => r.calls));
    process.stdout.write(
      `max GitHub calls per promotion: ${worst} (${
        worst <= GOAL_CALLS ? 'within' : 'OVER'
      } the goal)\n`,
    );
  } finally {
    await sandbox.stop();
  }
}

if (require.main === module) {
  main().catch(error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
