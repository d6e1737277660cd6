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

/** What {@link liveVersionFromImages} chose, or why it chose nothing. @public */
export interface LiveImageChoice {
  /** The chosen image as Argo CD lists it. */
  image?: string;
  /** Its tag, or its digest when it has no tag. */
  version?: string;
  /** Why there is no version, in words the tab shows. */
  reason?: string;
}

/** Options of {@link liveVersionFromImages}. @public */
export interface LiveImageOptions {
  /**
   * Image repositories of the service (`ghcr.io/acme/checkout-api`, `acme/checkout-api`), from
   * the `gitops/image` annotation or where the desired version was read. When given, only
   * images of these repositories are the service's.
   */
  imageRepositories?: string[];
  /**
   * What the images are, in reasons: `live` (default) for `status.summary.images`, e.g.
   * `rendered` for the images of the manifests Argo CD renders.
   */
  imagesAre?: string;
}

const DOCKER_HUB = new Set([
  'docker.io',
  'index.docker.io',
  'registry-1.docker.io',
]);

/** `registry/repository` with Docker Hub's implied registry and `library/` made explicit. */
function canonicalRepository(ref: ImageReference): string {
  const registry = ref.registry ?? 'docker.io';
  if (DOCKER_HUB.has(registry)) {
    const repository = ref.repository.includes('/')
      ? ref.repository
      : `library/${ref.repository}`;
    return `docker.io/${repository}`;
  }
  return `${registry}/${ref.repository}`;
}

function versionOf(ref: ImageReference): string | undefined {
  return ref.tag ?? ref.digest;
}

/** Images named in a reason: a few, so a long list does not make every cell long. */
function listed(images: string[]): string {
  const shown = images.slice(0, 3).join(', ');
  return images.length > 3 ? `${shown} and ${images.length - 3} more` : shown;
}

/** One version when all the matching images agree, else a reason naming them. */
function agree(
  matches: Array<{ image: string; ref: ImageReference }>,
  what: string,
  imagesAre: string,
): LiveImageChoice {
  const versions = [...new Set(matches.map(m => versionOf(m.ref)))];
  if (versions.length === 1 && versions[0] !== undefined) {
    return { image: matches[0].image, version: versions[0] };
  }
  if (versions.length === 1) {
    return {
      image: matches[0].image,
      reason: `the ${imagesAre} image ${matches[0].image} has neither a tag nor a digest`,
    };
  }
  return {
    reason: `${
      matches.length
    } ${imagesAre} images match ${what} with different versions (${listed(
      matches.map(m => m.image),
    )}); the version is unknown until they agree`,
  };
}

/** Image repositories as references, blanks dropped. */
function parseRepositories(imageRepositories: string[] = []): ImageReference[] {
  return imageRepositories
    .map(r => r.trim())
    .filter(Boolean)
    .map(r => parseImageReference(r));
}

/** Whether an image is of a wanted repository (its registry optional, Docker Hub's implied). */
function ofRepository(wanted: ImageReference, ref: ImageReference): boolean {
  return wanted.registry
    ? canonicalRepository(wanted) === canonicalRepository(ref)
    : wanted.repository === ref.repository ||
        canonicalRepository(wanted) === canonicalRepository(ref);
}

/**
 * Whether an image (a reference with or without tag) is the service's, by the rule
 * {@link liveVersionFromImages} chooses by: of one of `imageRepositories` when given, else named
 * (last repository segment) after one of `serviceNames`. The desired side (kustomizations,
 * manifests) uses it too, so both sides pick the same image.
 *
 * @public
 */
export function isServiceImage(
  image: string,
  serviceNames: string[],
  options: Pick<LiveImageOptions, 'imageRepositories'> = {},
): boolean {
  const ref = parseImageReference(image);
  const wanted = parseRepositories(options.imageRepositories);
  return wanted.length
    ? wanted.some(w => ofRepository(w, ref))
    : serviceNames.filter(Boolean).includes(ref.name);
}

/**
 * Picks the image of a service among an Application's live images (`status.summary.images`,
 * sidecars and init containers included), never by position. With `imageRepositories`, the
 * images of those repositories (registry optional; Docker Hub's implied `docker.io/library`
 * understood); else the images whose name (last repository segment) is one of the service names.
 * Never the only image by default: when a rollout failed, it may be a hook's or a sidecar's. Digests (`repo:tag@sha256:…`, `repo@sha256:…`) are understood: the
 * version is the tag, or the digest when there is no tag. When no single version results, the
 * choice says why.
 *
 * @public
 */
export function liveVersionFromImages(
  images: string[],
  serviceNames: string[],
  options: LiveImageOptions = {},
): LiveImageChoice {
  const imagesAre = options.imagesAre ?? 'live';
  const parsed = images.map(image => ({
    image,
    ref: parseImageReference(image),
  }));
  if (!parsed.length) {
    return { reason: 'the Application reports no live images yet' };
  }
  const wanted = parseRepositories(options.imageRepositories);
  if (wanted.length) {
    const matches = parsed.filter(p =>
      wanted.some(w => ofRepository(w, p.ref)),
    );
    const names = wanted.map(
      w => (w.registry ? `${w.registry}/` : '') + w.repository,
    );
    if (!matches.length) {
      return {
        reason: `no ${imagesAre} image is of ${names.join(
          ' or ',
        )} (${imagesAre}: ${listed(images)})`,
      };
    }
    return agree(matches, names.join(' or '), imagesAre);
  }
  const names = serviceNames.filter(Boolean);
  const byName = parsed.filter(p => names.includes(p.ref.name));
  if (byName.length) {
    return agree(byName, `the name ${names.join(' or ')}`, imagesAre);
  }
  // not the only image either: a failed rollout may leave only a hook's or a sidecar's running
  return {
    reason: `no ${imagesAre} image is named ${names.join(
      ' or ',
    )} (${imagesAre}: ${listed(
      images,
    )}); set the gitops/image annotation to the service's image repository`,
  };
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
