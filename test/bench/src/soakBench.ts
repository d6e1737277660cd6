/**
 * Soak benchmark of the state backend's memory (issue 17, "bounded memory over days"): 100,000
 * Applications in the store, 1% of them changing every second (status, image or a sync to the
 * newest commit), a new commit in the GitOps repository every 10 s (so desired-version cache
 * keys roll over), and steady tab traffic: state requests for random entities and history
 * requests, several per second. Runs in process on a simulated clock, one tick per second, so
 * hours of traffic take minutes; the caches run with small bounds (printed) so that each is
 * passed at least 10 times. Prints heap after warm-up and after the run, their ratio, evictions
 * per cache and a verdict; exits 1 when the heap grew by more than 10%.
 *
 * Run: yarn workspace @internal/gitops-bench bench:soak
 */
import { performance } from 'node:perf_hooks';
import { heapUsed, out } from './benchHelpers';
import { installGitStandIn } from './soak/soakWorld';
import { createSoakSystem, Stats } from './soak/soakSystem';

const CLUSTERS = 20;
const APPS_PER_CLUSTER = 5_000;
const CHANGES_PER_S = (CLUSTERS * APPS_PER_CLUSTER) / 100;
const COMMIT_EVERY_S = 10;
const STATE_REQUESTS_PER_S = 5;
const HISTORY_REQUESTS_PER_S = 1;
/** Simulated seconds of warm-up at least, and until every cache was filled once. */
const WARMUP_S = 600;
/**
 * Simulated seconds measured at least (`SOAK_RUN_S`, e.g. 86400 for a day, about 4 h of wall
 * time here), and until every cache's bound was passed `PASSES` times.
 */
const RUN_S = Number(process.env.SOAK_RUN_S ?? 600);
const PASSES = 10;
const MAX_S = 20_000;
const HEAP_TOLERANCE = 0.1;
const BOUND_FACTOR = Number(process.env.SOAK_BOUND_FACTOR ?? 1);
/** With scaled-up bounds the caches are not filled: warm-up and run take their minimum time. */
const FILL = BOUND_FACTOR === 1 ? 1 : 0;

/** Bounds small enough to be passed ten times in minutes; the defaults are 20 to 100 times larger. */
const CACHE = scaled({
  git: {
    maxFiles: 500,
    maxBlobBytes: 256 * 1024,
    maxResults: 500,
    maxFailures: 20,
    ttl: '1 hour',
  },
  history: { maxEntries: 100, ttl: '1 minute' },
  recentEntities: { maxEntries: 100, ttl: '1 hour' },
});

/**
 * `SOAK_BOUND_FACTOR=1000` multiplies the bounds, which leaves the caches as good as unbounded
 * for the run: the heap then grows, which shows what the verdict catches.
 */
function scaled<T extends Record<string, Record<string, number | string>>>(
  cache: T,
): T {
  const factor = BOUND_FACTOR;
  return Object.fromEntries(
    Object.entries(cache).map(([name, limits]) => [
      name,
      Object.fromEntries(
        Object.entries(limits).map(([key, value]) => [
          key,
          typeof value === 'number' ? value * factor : value,
        ]),
      ),
    ]),
  ) as T;
}

async function main() {
  const git = installGitStandIn();
  const soak = createSoakSystem({
    clusters: CLUSTERS,
    appsPerCluster: APPS_PER_CLUSTER,
    changesPerS: CHANGES_PER_S,
    commitEveryS: COMMIT_EVERY_S,
    stateRequestsPerS: STATE_REQUESTS_PER_S,
    historyRequestsPerS: HISTORY_REQUESTS_PER_S,
    cache: CACHE,
  });
  const { tick, stats, counts } = soak;
  const began = performance.now();
  let second = 0;
  const filled = (s: Stats, base?: Stats) =>
    Math.min(
      ...Object.entries(s).map(
        ([name, c]) => (c.inserted - (base?.[name].inserted ?? 0)) / c.bound,
      ),
    );
  out(
    `## soak: ${soak.applications} Applications, ${soak.entities} entities, ${CHANGES_PER_S} changes/s, a commit every ${COMMIT_EVERY_S} s, ${STATE_REQUESTS_PER_S} state + ${HISTORY_REQUESTS_PER_S} history requests/s (simulated seconds)`,
  );
  out(`cache bounds: ${JSON.stringify(CACHE)}`);
  const heapStart = heapUsed();
  while (second < WARMUP_S || filled(stats()) < FILL) {
    await tick(++second);
    if (second % 300 === 0) {
      out(
        `  warm-up ${second} s: ${((performance.now() - began) / 1000).toFixed(
          0,
        )} s wall, bounds filled ${filled(stats()).toFixed(1)} times`,
      );
    }
    if (second >= MAX_S) throw new Error('the caches never filled');
  }
  const warmupS = second;
  const heapWarm = heapUsed();
  const base = stats();
  const baseCounts = { ...counts };
  out(
    `warm-up: ${warmupS} simulated s in ${(
      (performance.now() - began) /
      1000
    ).toFixed(0)} s; heap ${mb(heapStart)} at start, ${mb(
      heapWarm,
    )} after warm-up`,
  );

  const runStarted = performance.now();
  while (second - warmupS < RUN_S || filled(stats(), base) < PASSES * FILL) {
    await tick(++second);
    if ((second - warmupS) % 600 === 0) {
      out(
        `  ${second - warmupS} s: heap ${mb(
          process.memoryUsage().heapUsed,
        )} (before GC), bounds passed ${filled(stats(), base).toFixed(
          1,
        )} times`,
      );
    }
    if (second >= MAX_S) break;
  }
  const runS = second - warmupS;
  const heapEnd = heapUsed();
  const end = stats();
  git.restore();

  const ratio = heapEnd / heapWarm;
  const passes = filled(end, base);
  const ok = ratio <= 1 + HEAP_TOLERANCE && passes >= PASSES;
  const rows: Record<string, string> = {
    'simulated time (warm-up + run)': `${warmupS} s + ${runS} s = ${(
      second / 3600
    ).toFixed(2)} h, ${soak.commits()} commits`,
    'wall time (warm-up + run)': `${((runStarted - began) / 1000).toFixed(
      0,
    )} s + ${((performance.now() - runStarted) / 1000).toFixed(0)} s`,
    'run: Application changes': `${counts.changes - baseCounts.changes}`,
    'run: state / history requests': `${counts.states - baseCounts.states} / ${
      counts.histories - baseCounts.histories
    }`,
    'run: cells with a desired version': `${pct(
      counts.desired - baseCounts.desired,
      counts.cells - baseCounts.cells,
    )} (git errors listed: ${counts.gitErrors - baseCounts.gitErrors})`,
    'GitHub requests (whole run, answered in process)': `${git.counts.requests}`,
    'heap after warm-up': mb(heapWarm),
    'heap after run': mb(heapEnd),
    'ratio after run / after warm-up': `${ratio.toFixed(3)} (goal <= ${
      1 + HEAP_TOLERANCE
    })`,
  };
  for (const [k, v] of Object.entries(rows)) out(`${k.padEnd(50)} ${v}`);
  out('');
  out(
    `${'cache'.padEnd(16)}${'bound'.padStart(12)}${'inserted in run'.padStart(
      18,
    )}${'x bound'.padStart(10)}${'evicted in run'.padStart(
      16,
    )}${'expired in run'.padStart(16)}${'held'.padStart(12)}`,
  );
  for (const [name, c] of Object.entries(end)) {
    const b = base[name];
    out(
      `${name.padEnd(16)}${`${c.bound}${
        c.unit === 'bytes' ? ' B' : ''
      }`.padStart(12)}${String(c.inserted - b.inserted).padStart(18)}${(
        (c.inserted - b.inserted) /
        c.bound
      )
        .toFixed(1)
        .padStart(10)}${String(c.evicted - b.evicted).padStart(16)}${String(
        c.expired - b.expired,
      ).padStart(16)}${String(c.held).padStart(12)}`,
    );
  }
  out('');
  const growth = `${((ratio - 1) * 100).toFixed(1)}%`;
  const problems = [
    ...(ratio > 1 + HEAP_TOLERANCE
      ? [`heap grew ${growth} (limit +${HEAP_TOLERANCE * 100}%)`]
      : []),
    ...(passes < PASSES
      ? [
          `a cache bound was passed only ${passes.toFixed(
            1,
          )} times (needs ${PASSES})`,
        ]
      : []),
  ];
  out(
    ok
      ? `PASS: heap after the run is ${growth} from heap after warm-up (limit +${
          HEAP_TOLERANCE * 100
        }%), every cache bound passed at least ${PASSES} times`
      : `FAIL: ${problems.join('; ')}`,
  );
  return ok;
}

function mb(bytes: number) {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function pct(part: number, whole: number) {
  return `${whole ? ((100 * part) / whole).toFixed(1) : '0'}%`;
}

if (require.main === module) {
  if (!(global as any).gc) {
    process.stderr.write('run with node --expose-gc (yarn bench:soak does)\n');
    process.exit(1);
  }
  process.on('SIGTERM', () => process.exit(2));
  main()
    .then(ok => process.exit(ok ? 0 : 1))
    .catch(error => {
      process.stderr.write(`${error.stack ?? error}\n`);
      process.exit(1);
    });
}
