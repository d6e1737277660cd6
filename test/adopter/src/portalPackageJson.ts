/** A package this repository publishes, and its tarball. */
export interface PackedPackage {
  name: string;
  version: string;
  /** The tarball's absolute path. */
  tarball: string;
}

/**
 * The adopter portal's root `package.json` with this repository's root `resolutions` (they pin
 * packages whose newest platform binaries the registry lacks) and every packed package resolved
 * to its tarball, so that the packages' dependencies on each other resolve there too.
 */
export function withTarballResolutions(
  portalPackageJson: Record<string, any>,
  repoPackageJson: Record<string, any>,
  packed: PackedPackage[],
): Record<string, any> {
  return {
    ...portalPackageJson,
    resolutions: {
      ...portalPackageJson.resolutions,
      ...repoPackageJson.resolutions,
      ...Object.fromEntries(packed.map(p => [p.name, `file:${p.tarball}`])),
    },
  };
}
