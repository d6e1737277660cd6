/**
 * What the GitOps frontend plugin adds to an app's bundle: its entry points bundled and minified
 * the way a production app build does, with the packages every Backstage app already ships
 * (React, react-router, `@backstage/*`, Material UI) left out, since the plugin shares them.
 * Everything else it pulls in (gitops-common, react-use's hooks) counts against it.
 *
 *   yarn workspace @internal/gitops-bench bench:bundle
 */
import { build } from 'esbuild';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const GOAL_GZIP_KB = 150;

/** Shared with the host app, never duplicated by a plugin. */
const SHARED = [
  'react',
  'react-dom',
  'react/*',
  'react-dom/*',
  'react-router',
  'react-router-dom',
  '@backstage/*',
  '@material-ui/*',
  '@mui/*',
];

/** One row per entry point of the plugin. */
export interface BundleRow {
  entry: string;
  minifiedKb: number;
  gzipKb: number;
  /** The three largest inputs of the bundle, with their minified KB. */
  largest: string;
}

/** Bundles each entry point of `@backstage-gitops/plugin-gitops` and measures it. */
export async function measurePluginBundle(): Promise<BundleRow[]> {
  const dir = path.dirname(
    require.resolve('@backstage-gitops/plugin-gitops/package.json'),
  );
  const rows: BundleRow[] = [];
  for (const entry of ['src/index.ts', 'src/alpha.tsx']) {
    const result = await build({
      entryPoints: [path.join(dir, entry)],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      metafile: true,
      external: SHARED,
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'error',
    });
    const code = result.outputFiles[0].contents;
    const output = Object.values(result.metafile.outputs)[0];
    const largest = Object.entries(output.inputs)
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
      .slice(0, 3)
      .map(
        ([input, { bytesInOutput }]) =>
          `${path.basename(input)} ${(bytesInOutput / 1024).toFixed(1)}`,
      )
      .join(', ');
    rows.push({
      entry,
      minifiedKb: +(code.byteLength / 1024).toFixed(1),
      gzipKb: +(gzipSync(code, { level: 9 }).byteLength / 1024).toFixed(1),
      largest,
    });
  }
  return rows;
}

async function main() {
  const rows = await measurePluginBundle();
  process.stdout.write(
    `Bundle the GitOps frontend plugin adds (shared: ${SHARED.join(
      ' ',
    )}; goal <= ${GOAL_GZIP_KB} KB gzip)\n`,
  );
  console.table(rows);
  const worst = Math.max(...rows.map(r => r.gzipKb));
  process.stdout.write(
    `largest entry point: ${worst} KB gzip (${
      worst <= GOAL_GZIP_KB ? 'within' : 'OVER'
    } the goal)\n`,
  );
}

if (require.main === module) {
  main().catch(error => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  });
}
