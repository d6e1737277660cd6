/**
 * Versions: parsing container image references and comparing version strings.
 */
import semver from 'semver';

/** A parsed container image reference. @public */
export interface ImageReference {
  /** Registry host, when the reference names one (`ghcr.io`, `localhost:5000`). */
  registry?: string;
  /** Repository path without registry, e.g. `acme/checkout-api`. */
  repository: string;
  /** Last segment of the repository, e.g. `checkout-api`. */
  name: string;
  tag?: string;
  digest?: string;
}

/**
 * Parses `[registry/]repository[:tag][@digest]` as Docker does: the first segment is a registry
 * only when it contains `.` or `:` or is `localhost`.
 *
 * @public
 */
export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
  }
  let registry: string | undefined;
  const firstSlash = rest.indexOf('/');
  if (firstSlash > 0) {
    const first = rest.slice(0, firstSlash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(firstSlash + 1);
    }
  }
  const segments = rest.split('/');
  return {
    registry,
    repository: rest,
    name: segments[segments.length - 1],
    tag: tag || undefined,
    digest,
  };
}

/**
 * Picks the image of a service among an Application's live images: the one whose name (last
 * repository segment) equals one of the service names; else the only image. Returns its tag.
 *
 * @public
 */
export function liveVersionFromImages(
  images: string[],
  serviceNames: string[],
): { image?: string; version?: string } {
  const parsed = images.map(image => ({
    image,
    ref: parseImageReference(image),
  }));
  const names = serviceNames.filter(Boolean);
  const match =
    names.map(name => parsed.find(p => p.ref.name === name)).find(Boolean) ??
    names
      .map(name => parsed.find(p => p.ref.repository.endsWith(name)))
      .find(Boolean) ??
    (parsed.length === 1 ? parsed[0] : undefined);
  if (!match) {
    return {};
  }
  return { image: match.image, version: match.ref.tag ?? match.ref.digest };
}

/**
 * Compares two version strings; returns <0, 0 or >0, so it can be given to `Array.sort`.
 *
 * @remarks
 * When both are semantic versions (`1.2.3`, `v1.2.3-rc.10+build.5`; a leading `v` or `=` is
 * allowed), they are ordered by `semver`'s precedence: numerically, a pre-release below its
 * release, pre-release identifiers compared one by one (`rc.9` below `rc.10`). Build metadata does
 * not change precedence; it only breaks the tie between two builds of one version so that sorting
 * is stable (`semver.compareBuild`).
 *
 * Anything else (date tags such as `2024-05-01`, `20240501`, `2024.05.01`, two-part versions such
 * as `1.2`, build numbers such as `build-9`), or a semantic version compared with such a tag, falls
 * back to a natural order: both strings are split into runs of digits and runs of other
 * characters, digit runs are compared as numbers (of any length) and other runs as strings; a
 * string that is a prefix of the other comes first. Date tags in one format thus sort by date. A
 * `v` prefix is ignored in the fallback too.
 *
 * @public
 */
export function compareVersions(a: string, b: string): number {
  const sa = semver.parse(a.trim());
  const sb = semver.parse(b.trim());
  if (sa && sb) {
    return semver.compareBuild(sa, sb);
  }
  return compareNatural(withoutPrefix(a), withoutPrefix(b));
}

function withoutPrefix(version: string): string {
  return version.trim().replace(/^[vV=](?=\d)/, '');
}

const RUNS = /\d+|\D+/g;

/** Natural order: digit runs as numbers of any length, other runs as plain strings. */
function compareNatural(a: string, b: string): number {
  const ra = a.match(RUNS) ?? [];
  const rb = b.match(RUNS) ?? [];
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) {
    const diff = compareRun(ra[i], rb[i]);
    if (diff !== 0) {
      return diff;
    }
  }
  return ra.length - rb.length || compareStrings(a, b);
}

function compareRun(a: string, b: string): number {
  if (/^\d/.test(a) && /^\d/.test(b)) {
    // not Number(): tags such as 20240501123000123456 exceed its exact range
    const na = a.replace(/^0+(?=\d)/, '');
    const nb = b.replace(/^0+(?=\d)/, '');
    return na.length - nb.length || compareStrings(na, nb);
  }
  return compareStrings(a, b);
}

function compareStrings(a: string, b: string): number {
  if (a === b) {
    return 0;
  }
  return a < b ? -1 : 1;
}

/**
 * Whether a version is a semver range or constraint (`4.11.*`, `^1.2.0`, `>=1.0.0 <2.0.0`), as a
 * Helm chart's `targetRevision` may be, rather than one version.
 *
 * @public
 */
export function isVersionRange(version: string): boolean {
  const value = version.trim();
  return (
    /[*xX^~<>=|]|\s-\s/.test(value) &&
    semver.valid(value) === null &&
    semver.validRange(value) !== null
  );
}

/**
 * Whether a version satisfies a range (see {@link isVersionRange}); false when it is no semver
 * version.
 *
 * @public
 */
export function satisfiesVersionRange(version: string, range: string): boolean {
  const parsed = semver.valid(version.trim().replace(/^v/, ''));
  return parsed !== null && semver.satisfies(parsed, range.trim());
}
