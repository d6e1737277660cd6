/**
 * How long the YAML limits take to refuse the adversarial files of the hardening audit (issue 17:
 * 5,000 and 20,000 aliases, a 3 MB values file), which took 9 s, forever and 65 s to parse, and
 * how long locating the version takes in the largest files the default limits still accept.
 * Goal: no request blocks the event loop for more than 100 ms.
 *
 *   yarn workspace @internal/gitops-bench bench:yaml
 */
import {
  checkYamlLimits,
  DEFAULT_YAML_LIMITS,
  locateVersion,
} from '@backstage-gitops/plugin-gitops-node';

const GOAL_MS = 100;
const RUNS = 5;

function aliases(count: number): string {
  return `base: &base {x: 1}\nimage:\n  tag: "1.0.0"\nitems:\n${'  - *base\n'.repeat(
    count,
  )}`;
}

function largeValues(bytes: number): string {
  const line = '  padding-key-0000000: "some realistic padding text here"\n';
  return `image:\n  tag: "1.0.0"\nextra:\n${line.repeat(
    Math.floor(bytes / line.length),
  )}`;
}

/** Median wall time of `RUNS` calls, in milliseconds; a thrown error counts as done. */
function median(run: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    try {
      run();
    } catch {
      // refusals are the point
    }
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

function refused(source: string): boolean {
  try {
    checkYamlLimits(source, 'values.yaml');
    return false;
  } catch {
    return true;
  }
}

const locate = (source: string) => () =>
  locateVersion(
    source,
    { type: 'helm-values', key: 'image.tag' },
    'values.yaml',
  );

const rows: Array<[string, string, () => void, boolean]> = [
  ['5,000 aliases (49 KB)', aliases(5000), locate(aliases(5000)), true],
  ['20,000 aliases', aliases(20000), locate(aliases(20000)), true],
  [
    '3 MB values file',
    largeValues(3_000_000),
    locate(largeValues(3_000_000)),
    true,
  ],
  [
    `${DEFAULT_YAML_LIMITS.maxAliases} aliases (largest accepted)`,
    aliases(DEFAULT_YAML_LIMITS.maxAliases),
    locate(aliases(DEFAULT_YAML_LIMITS.maxAliases)),
    false,
  ],
  [
    `${DEFAULT_YAML_LIMITS.maxBytes / 1024} KiB values file (largest accepted)`,
    largeValues(DEFAULT_YAML_LIMITS.maxBytes - 100),
    locate(largeValues(DEFAULT_YAML_LIMITS.maxBytes - 100)),
    false,
  ],
].map(([name, source, run, expectRefusal]) => [
  name as string,
  source as string,
  run as () => void,
  expectRefusal as boolean,
]);

console.log(
  `| file | refused | ms (median of ${RUNS}) | goal <= ${GOAL_MS} ms |\n| --- | --- | --- | --- |`,
);
let failed = false;
for (const [name, source, run, expectRefusal] of rows) {
  const isRefused = refused(source);
  const ms = median(run);
  const ok = isRefused === expectRefusal && ms <= GOAL_MS;
  failed ||= !ok;
  console.log(
    `| ${name} | ${isRefused ? 'yes' : 'no'} | ${ms.toFixed(1)} | ${
      ok ? 'ok' : 'MISSED'
    } |`,
  );
}
process.exitCode = failed ? 1 : 0;
