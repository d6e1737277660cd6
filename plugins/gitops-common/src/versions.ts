/**
 * Versions: parsing container image references and comparing version strings.
 */

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

const NUMERIC = /^\d+$/;

/**
 * Compares two version strings: semantic versions (with an optional `v`) numerically, with a
 * pre-release lower than its release; anything else as plain strings. Returns <0, 0 or >0.
 *
 * @public
 */
export function compareVersions(a: string, b: string): number {
  const split = (v: string) => {
    const [main, pre] = v.replace(/^v/i, '').split(/-(.*)/s);
    return { main: main.split('.'), pre };
  };
  const va = split(a);
  const vb = split(b);
  const length = Math.max(va.main.length, vb.main.length);
  for (let i = 0; i < length; i++) {
    const pa = va.main[i] ?? '0';
    const pb = vb.main[i] ?? '0';
    if (NUMERIC.test(pa) && NUMERIC.test(pb)) {
      const diff = Number(pa) - Number(pb);
      if (diff !== 0) {
        return diff;
      }
    } else if (pa !== pb) {
      return pa < pb ? -1 : 1;
    }
  }
  if (va.pre === vb.pre) {
    return 0;
  }
  if (va.pre === undefined) {
    return 1;
  }
  if (vb.pre === undefined) {
    return -1;
  }
  return va.pre < vb.pre ? -1 : 1;
}
