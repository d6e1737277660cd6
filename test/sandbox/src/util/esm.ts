import fs from 'node:fs';
import path from 'node:path';

/**
 * Loads a module of an ESM-only package (exports with only an `import`
 * condition) from CommonJS: Jest resolves it through jestResolver.cjs; under
 * plain Node the file is located in node_modules and loaded with require(esm).
 */
export function requireEsmOnly<T>(pkg: string, subpath: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`${pkg}/${subpath}`);
  } catch {
    for (const dir of require.resolve.paths(pkg) ?? []) {
      const candidate = path.join(dir, pkg, `${subpath}.js`);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      if (fs.existsSync(candidate)) return require(candidate);
    }
    throw new Error(`cannot load ${pkg}/${subpath}`);
  }
}
