import { ConflictError, InputError } from '@backstage/errors';

/** A version as a promotion writes it: an image tag, a digest, or both. @public */
export interface ParsedVersion {
  /** The text as given. */
  raw: string;
  /** Image tag or chart version, e.g. `1.5.0`. */
  tag?: string;
  /** Content digest, e.g. `sha256:4f...`. */
  digest?: string;
}

/** The longest version accepted: a 128-character tag, `@` and a sha512 digest. @public */
export const MAX_VERSION_LENGTH = 128 + 1 + 7 + 128;

// https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
// https://semver.org/#is-there-a-suggested-regular-expression-regex-to-check-a-semver-string
const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/**
 * Parses a version: an image tag (`1.5.0`), a digest (`sha256:…`), `tag@digest`, or for Helm
 * charts a semantic version. Anything else, such as text with spaces, newlines, YAML syntax or
 * more than 128 characters of tag, is refused with a 400 that says what is accepted.
 *
 * @public
 */
export function parseVersion(
  raw: string,
  kind: 'image' | 'chart' = 'image',
): ParsedVersion {
  const shown = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
  if (raw.length === 0 || raw.length > MAX_VERSION_LENGTH) {
    throw new InputError(
      `Invalid version ${shown}: expected 1 to ${MAX_VERSION_LENGTH} characters, got ${raw.length}`,
    );
  }
  if (kind === 'chart') {
    if (!SEMVER.test(raw)) {
      throw new InputError(
        `Invalid chart version ${shown}: expected a semantic version such as 1.4.2`,
      );
    }
    return { raw, tag: raw };
  }
  if (DIGEST.test(raw)) {
    return { raw, digest: raw };
  }
  const at = raw.indexOf('@');
  const tag = at === -1 ? raw : raw.slice(0, at);
  const digest = at === -1 ? undefined : raw.slice(at + 1);
  if (!TAG.test(tag) || (digest !== undefined && !DIGEST.test(digest))) {
    throw new InputError(
      `Invalid version ${shown}: expected an image tag (letters, digits, . _ -, at most 128, not starting with . or -), a digest (sha256:<64 hex>) or tag@digest`,
    );
  }
  return { raw, tag, digest };
}

/**
 * The text to write for a version, in the format the target file already uses: a tag stays a
 * tag, `tag@digest` stays `tag@digest`, a digest stays a digest. Refuses (409) when the file pins
 * a digest the promoted version does not name.
 *
 * @public
 */
export function formatVersionLike(
  current: string,
  next: ParsedVersion,
  where: string,
): string {
  const currentHasDigest = /(?:^|@)sha(?:256|512):/.test(current);
  const currentHasTag = !/^sha(?:256|512):/.test(current);
  if (currentHasDigest && !next.digest) {
    throw new ConflictError(
      `${where} pins a digest (${current}) but the digest of ${next.raw} is unknown; promote it as tag@digest`,
    );
  }
  if (currentHasTag && !next.tag) {
    throw new ConflictError(
      `${where} holds a tag (${current}) but ${next.raw} is only a digest; promote it as tag@digest`,
    );
  }
  if (currentHasDigest && currentHasTag) {
    return `${next.tag}@${next.digest}`;
  }
  return currentHasDigest ? next.digest! : next.tag!;
}

/** The tag part of a version, or the version itself when it is only a digest. @public */
export function versionTag(version: string): string {
  const at = version.indexOf('@');
  return at === -1 ? version : version.slice(0, at);
}
