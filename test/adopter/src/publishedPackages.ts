import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { PackedPackage } from './portalPackageJson';

/** A package of `plugins/` that is published (not private). */
export interface PublishedPackage {
  name: string;
  version: string;
  /** The package's folder. */
  dir: string;
}

/** The packages this repository publishes: every package of `plugins/` that is not private. */
export function publishedPackages(repoRoot: string): PublishedPackage[] {
  const pluginsDir = resolve(repoRoot, 'plugins');
  return readdirSync(pluginsDir, { withFileTypes: true })
    .filter(entry => entry.isDirectory())
    .map(entry => join(pluginsDir, entry.name))
    .map(dir => ({
      dir,
      json: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
    }))
    .filter(({ json }) => !json.private)
    .map(({ dir, json }) => ({ name: json.name, version: json.version, dir }));
}

/** Where `scripts/adopter-e2e.sh` packs a package: `<tarballDir>/<folder name>.tgz`. */
export function packedPackage(
  pkg: PublishedPackage,
  tarballDir: string,
): PackedPackage {
  return {
    name: pkg.name,
    version: pkg.version,
    tarball: resolve(tarballDir, `${basename(pkg.dir)}.tgz`),
  };
}
