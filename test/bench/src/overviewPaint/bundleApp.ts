import { build, Plugin } from 'esbuild';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';

// the app bundler's own polyfills of Node built-ins (what `backstage-cli package build` uses)
const cliRequire = createRequire(
  require.resolve('@backstage/cli/package.json'),
);
const stdlib: Record<string, string | null> = cliRequire('node-stdlib-browser');

const dir = path.join(
  path.dirname(require.resolve('@internal/gitops-bench/package.json')),
  'src/overviewPaint',
);

/** Node built-ins resolved to their browser polyfills, or to an empty module without one. */
const nodePolyfills: Plugin = {
  name: 'node-polyfills',
  setup(b) {
    const names = builtinModules.map(n => n.replace(/\//g, '\\/')).join('|');
    b.onResolve({ filter: new RegExp(`^(node:)?(${names})$`) }, args => {
      const polyfill = stdlib[args.path.replace(/^node:/, '')];
      return polyfill
        ? { path: cliRequire.resolve(polyfill) }
        : { path: args.path, namespace: 'empty' };
    });
    b.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({
      contents: 'module.exports = {};',
    }));
  },
};

/** The app as served: its files by URL path, and what they weigh. */
export interface BundledApp {
  files: Map<string, { body: Uint8Array; type: string }>;
  /** Bytes of JavaScript loaded before the first render (the entry and its static imports). */
  entryJsBytes: number;
  /** Bytes of every JavaScript chunk, lazy ones included. */
  totalJsBytes: number;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

/**
 * Bundles `app.tsx` minified for production, split into chunks the way the app build splits
 * lazy plugin extensions, with an `index.html` that loads it.
 */
export async function bundleApp(): Promise<BundledApp> {
  const result = await build({
    entryPoints: [
      path.join(dir, 'app.tsx'),
      require.resolve('@backstage/ui/css/styles.css'),
    ],
    bundle: true,
    minify: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    jsx: 'automatic',
    outdir: '/bundle',
    entryNames: '[name]-[hash]',
    write: false,
    metafile: true,
    plugins: [nodePolyfills],
    inject: [path.join(dir, 'globals.ts')],
    define: {
      'process.env.NODE_ENV': '"production"',
      global: 'globalThis',
    },
    loader: {
      '.svg': 'dataurl',
      '.png': 'dataurl',
      '.woff2': 'file',
      '.woff': 'file',
    },
    logLevel: 'error',
  });
  const files: BundledApp['files'] = new Map();
  let entry = '';
  const css: string[] = [];
  for (const file of result.outputFiles) {
    const urlPath = `/${path.relative('/bundle', file.path)}`;
    files.set(urlPath, {
      body: file.contents,
      type: TYPES[path.extname(file.path)] ?? 'application/octet-stream',
    });
    if (/^\/app-.*\.js$/.test(urlPath)) entry = urlPath;
    if (urlPath.endsWith('.css')) css.push(urlPath);
  }
  // the metafile names outputs relative to the working directory
  const outputs = new Map(
    Object.entries(result.metafile.outputs).map(([p, o]) => [
      `/${path.relative('/bundle', path.resolve(p))}`,
      {
        bytes: o.bytes,
        imports: o.imports
          .filter(i => i.kind === 'import-statement')
          .map(i => `/${path.relative('/bundle', path.resolve(i.path))}`),
      },
    ]),
  );
  const entryJsBytes = [entry, ...(outputs.get(entry)?.imports ?? [])].reduce(
    (n, p) => n + (outputs.get(p)?.bytes ?? 0),
    0,
  );
  const totalJsBytes = [...outputs]
    .filter(([p]) => p.endsWith('.js'))
    .reduce((n, [, o]) => n + o.bytes, 0);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>GitOps</title>${css
    .map(href => `<link rel="stylesheet" href="${href}">`)
    .join(
      '',
    )}</head><body><div id="root"></div><script type="module" src="${entry}"></script></body></html>`;
  files.set('/index.html', {
    body: new TextEncoder().encode(html),
    type: 'text/html',
  });
  return { files, entryJsBytes, totalJsBytes };
}
