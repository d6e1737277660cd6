/**
 * The overview page's first paints in Chromium against the overview benchmark's world (2,000
 * services, 20 control planes, 100,000 Applications, see `overviewWorld.ts`). The page is the
 * real one: a frontend-system app with the GitOps plugin (its `/gitops` PageBlueprint, the real
 * GitopsClient) and the catalog plugin, bundled minified by esbuild and served with gzip from the
 * page's origin, which forwards `/api` to the GitOps backend. Debian's Chromium is driven by
 * playwright-core. Per load, from the navigation's start, with the browser's own clocks:
 * first contentful paint (the `paint` entry) and first meaningful paint (the first frame after
 * the first overview row's header cell entered the DOM, seen by a MutationObserver). Cold loads
 * use a fresh browser context (empty cache); warm loads reload in one context.
 *
 * Run: yarn workspace @internal/gitops-bench bench:overview-paint
 */
import { chromium, Page } from 'playwright-core';
import { out, percentile } from './benchHelpers';
import { bundleApp } from './overviewPaint/bundleApp';
import { serveApp } from './overviewPaint/serveApp';
import { OVERVIEW_WORLD, startOverviewWorld } from './overviewWorld';

const LOADS = Number(process.env.PAINT_LOADS ?? 10);
const FIRST_ROW = '[role="rowheader"]';

/** Records, in the page, when the first overview row is painted. */
function observeFirstRow(selector: string) {
  const w = window as any;
  new MutationObserver((_changes, observer) => {
    if (document.querySelector(selector)) {
      observer.disconnect();
      requestAnimationFrame(() => {
        w.firstRowPaint = performance.now();
      });
    }
  }).observe(document, { childList: true, subtree: true });
}

interface Load {
  fcp: number;
  fmp: number;
  jsTransferred: number;
  overviewEncoded: number;
  overviewDecoded: number;
}

async function main() {
  const { clusters, applicationsPerCluster, services } = OVERVIEW_WORLD;
  out(
    `\n## overview page paint: ${services} services, ${clusters} control planes x ${applicationsPerCluster} Applications, Chromium, ${LOADS} cold + ${LOADS} warm loads`,
  );
  const world = await startOverviewWorld({ stateDir: 'gitops-paint-bench' });
  const app = await bundleApp();
  const server = await serveApp(app, world.url.replace(/\/api\/.*$/, ''));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  try {
    const measure = async (page: Page) => {
      await page
        .waitForSelector(FIRST_ROW, { timeout: 120_000 })
        .catch(async error => {
          const text = await page.innerText('body').catch(() => '');
          throw new Error(`no overview row: ${text.slice(0, 500)}`, {
            cause: error,
          });
        });
      await page.waitForFunction(() => (window as any).firstRowPaint);
      return page.evaluate((): Load => {
        const resources = performance.getEntriesByType(
          'resource',
        ) as PerformanceResourceTiming[];
        const overview = resources.filter(r =>
          r.name.includes('/api/gitops/v1/overview'),
        );
        // the page's own request, after the one-row "owned by me" probe
        const listed = overview[overview.length - 1];
        return {
          fcp:
            performance
              .getEntriesByType('paint')
              .find(p => p.name === 'first-contentful-paint')?.startTime ?? NaN,
          fmp: (window as any).firstRowPaint,
          jsTransferred: resources
            .filter(r => r.initiatorType === 'script' || r.name.endsWith('.js'))
            .reduce((n, r) => n + r.transferSize, 0),
          overviewEncoded: listed?.encodedBodySize ?? NaN,
          overviewDecoded: listed?.decodedBodySize ?? NaN,
        };
      });
    };
    const url = `${server.origin}/gitops`;
    const cold: Load[] = [];
    for (let i = 0; i < LOADS; i++) {
      const context = await browser.newContext({
        viewport: { width: 1440, height: 1000 },
      });
      await context.addInitScript(observeFirstRow, FIRST_ROW);
      const page = await context.newPage();
      await page.goto(url);
      cold.push(await measure(page));
      await context.close();
    }
    const warm: Load[] = [];
    const context = await browser.newContext({
      viewport: { width: 1440, height: 1000 },
    });
    await context.addInitScript(observeFirstRow, FIRST_ROW);
    const page = await context.newPage();
    await page.goto(url);
    await measure(page);
    for (let i = 0; i < LOADS; i++) {
      await page.reload();
      warm.push(await measure(page));
    }
    await context.close();

    const ms = (v: number) => `${v.toFixed(0)} ms`;
    const kib = (v: number) => `${(v / 1024).toFixed(0)} KiB`;
    const stats = (loads: Load[], key: 'fcp' | 'fmp') => {
      const sorted = loads.map(l => l[key]).sort((a, b) => a - b);
      return `p50 ${ms(percentile(sorted, 50))}  max ${ms(
        sorted[sorted.length - 1],
      )}`;
    };
    const rows: Array<[string, string]> = [
      ['cold: first contentful paint', stats(cold, 'fcp')],
      ['cold: first meaningful paint (first overview row)', stats(cold, 'fmp')],
      ['warm: first contentful paint', stats(warm, 'fcp')],
      ['warm: first meaningful paint (first overview row)', stats(warm, 'fmp')],
      [
        'overview response (first page, gzip / JSON)',
        `${kib(cold[0].overviewEncoded)} / ${kib(cold[0].overviewDecoded)}`,
      ],
      [
        'JS transferred, cold / warm (gzip)',
        `${kib(cold[0].jsTransferred)} / ${kib(warm[0].jsTransferred)}`,
      ],
      [
        'JS of the app, before the first render / with lazy chunks (minified)',
        `${kib(app.entryJsBytes)} / ${kib(app.totalJsBytes)}`,
      ],
    ];
    for (const [k, v] of rows) out(`${k.padEnd(72)} ${v}`);
  } finally {
    await browser.close();
    await server.close();
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
