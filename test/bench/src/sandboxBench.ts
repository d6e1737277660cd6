/**
 * Scale benchmark of the sandbox: start time with 20 control planes x 5,000 generated
 * Applications, then all 100,000 listed through the Kubernetes stand-ins over HTTPS with fetch,
 * in pages of 500 (`limit` / `continue`), as an informer's initial list does. Prints the
 * figures against the goals (start under 10 s, resident memory under 1 GB at its peak).
 *
 * Run: yarn workspace @internal/gitops-bench bench:sandbox
 */
import { startSandbox } from '@internal/gitops-sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

const CLUSTERS = 20;
const APPLICATIONS_PER_CLUSTER = 5_000;
const PAGE_SIZE = 500;
const GOAL_START_MS = 10_000;
const GOAL_RSS_BYTES = 1e9;

/** The figures of one run. */
export interface SandboxBenchResult {
  startMs: number;
  applications: number;
  pages: number;
  listMs: number;
  /** Slowest single page, in ms. */
  slowestPageMs: number;
  rssAfterStart: number;
  peakRss: number;
}

/** Samples resident memory until stopped and keeps the peak. */
function trackPeakRss() {
  let peak = process.memoryUsage().rss;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 20);
  return {
    sample,
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

async function listAll(
  baseUrl: string,
  token: string,
): Promise<{ items: number; pages: number; slowestMs: number }> {
  let items = 0;
  let pages = 0;
  let slowestMs = 0;
  let cont: string | undefined;
  do {
    const url = new URL('/apis/argoproj.io/v1alpha1/applications', baseUrl);
    url.searchParams.set('limit', String(PAGE_SIZE));
    if (cont) url.searchParams.set('continue', cont);
    const started = performance.now();
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    });
    if (!response.ok) {
      throw new Error(`GET ${url} answered ${response.status}`);
    }
    const page = (await response.json()) as {
      items: unknown[];
      metadata: { continue?: string };
    };
    slowestMs = Math.max(slowestMs, performance.now() - started);
    items += page.items.length;
    pages += 1;
    cont = page.metadata.continue || undefined;
  } while (cont);
  return { items, pages, slowestMs };
}

/** Starts a generated sandbox, lists every Application and stops it again. */
export async function runSandboxBenchmark(): Promise<SandboxBenchResult> {
  const stateDir = fs.mkdtempSync(
    path.join(os.tmpdir(), 'gitops-bench-sandbox-'),
  );
  const rss = trackPeakRss();
  const began = performance.now();
  const sandbox = await startSandbox({
    stateDir,
    world: {
      clusters: CLUSTERS,
      applicationsPerCluster: APPLICATIONS_PER_CLUSTER,
    },
    control: false,
    ports: { github: 0 },
  });
  const startMs = performance.now() - began;
  rss.sample();
  const rssAfterStart = process.memoryUsage().rss;
  try {
    // fetch has no per-request CA option: trust the sandbox's generated CA process-wide.
    tls.setDefaultCACertificates([
      ...tls.getCACertificates('default'),
      sandbox.caPem,
    ]);
    const listStarted = performance.now();
    let applications = 0;
    let pages = 0;
    let slowestPageMs = 0;
    for (const [name, url] of Object.entries(sandbox.urls.kube)) {
      const listed = await listAll(url, sandbox.tokens.kube[name]);
      applications += listed.items;
      pages += listed.pages;
      slowestPageMs = Math.max(slowestPageMs, listed.slowestMs);
    }
    const listMs = performance.now() - listStarted;
    return {
      startMs,
      applications,
      pages,
      listMs,
      slowestPageMs,
      rssAfterStart,
      peakRss: rss.stop(),
    };
  } finally {
    rss.stop();
    await sandbox.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

async function main() {
  const result = await runSandboxBenchmark();
  const mb = (bytes: number) => `${Math.round(bytes / 1e6)} MB`;
  const verdict = (ok: boolean) => (ok ? 'within' : 'OVER');
  const expected = CLUSTERS * APPLICATIONS_PER_CLUSTER;
  process.stdout.write(
    [
      `Sandbox benchmark: ${CLUSTERS} Kubernetes API stand-ins x ${APPLICATIONS_PER_CLUSTER} generated Applications`,
      `start: ${Math.round(result.startMs)} ms (${verdict(
        result.startMs < GOAL_START_MS,
      )} the goal of ${GOAL_START_MS / 1000} s)`,
      `list over HTTPS (fetch, limit=${PAGE_SIZE}): ${
        result.applications
      } Applications in ${result.pages} pages, ${Math.round(
        result.listMs,
      )} ms (${Math.round(
        result.listMs / result.pages,
      )} ms per page, slowest ${Math.round(result.slowestPageMs)} ms)${
        result.applications === expected ? '' : ` -- expected ${expected}`
      }`,
      `resident memory: ${mb(result.rssAfterStart)} after start, peak ${mb(
        result.peakRss,
      )} (${verdict(result.peakRss < GOAL_RSS_BYTES)} the goal of ${mb(
        GOAL_RSS_BYTES,
      )})`,
      '',
    ].join('\n'),
  );
  if (result.applications !== expected) {
    process.exitCode = 1;
  }
}

if (require.main === module) {
  main().catch(error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
