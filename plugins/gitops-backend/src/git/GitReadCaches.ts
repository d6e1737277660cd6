import { VersionSource } from '@backstage-gitops/plugin-gitops-common';
import {
  checkYamlLimits,
  YamlLimits,
} from '@backstage-gitops/plugin-gitops-node';
import { parseAllDocuments } from 'yaml';
import { boundedCache, CacheStats } from '../cache/boundedCache';
import { CacheLimits } from '@backstage-gitops/plugin-gitops-node';

/** What Git says an Application should run. */
export interface DesiredVersion {
  version?: string;
  source?: VersionSource;
  /** Why there is no version, when there is none. */
  reason?: string;
  /** The service's image repository found beside the version (see `FoundVersion`). */
  imageRepository?: string;
}

/** The caches of a desired-version reader, for benchmarks and tests. */
export interface DesiredVersionCacheStats {
  files: CacheStats;
  /** Directory listings (of directory sources and app-of-apps parents). */
  listings: CacheStats;
  blobs: CacheStats;
  results: CacheStats;
  failures: CacheStats;
}

/** A file looked up at a revision, with its parsed content. */
export interface ReadFile {
  blobSha: string;
  url?: string;
  document: unknown;
  /** Every document of a multi-document file (`document` is the first). */
  documents?: unknown[];
}

/** A parsed file; `null` and scalars are documents too, so it is boxed. */
interface Blob {
  document: unknown;
  documents?: unknown[];
  bytes: number;
}

/** A file's YAML documents (so JSON too); invalid YAML throws, as a single parse does. */
function parseDocuments(text: string): Omit<Blob, 'bytes'> {
  const documents = parseAllDocuments(text).map(doc => {
    if (doc.errors.length > 0) throw doc.errors[0];
    return doc.toJS();
  });
  return documents.length > 1
    ? { document: documents[0], documents }
    : { document: documents[0] ?? null };
}

/** The blob sha of a file cache entry that records a missing file. */
const MISSING = '';
/** How long a failed read is answered from memory before Git is asked again. */
const FAILURE_TTL_MS = 30_000;

/**
 * The bounded caches of the desired-version reads: file lookups (path at a revision to blob
 * sha), directory listings, parsed blobs (by sha, bounded in bytes), desired versions and failed reads. A read at a
 * commit is trusted up to `limits.ttlMs`, one at a branch up to `branchTtlMs` as well, a failed
 * read up to 30 s as well.
 */
export class GitReadCaches {
  readonly #limits: CacheLimits['git'];
  readonly #branchTtlMs: number;
  readonly #files;
  readonly #listings;
  readonly #blobs;
  readonly #results;
  readonly #failures;

  constructor(options: {
    limits: CacheLimits['git'];
    branchTtlMs: number;
    clock?: () => number;
  }) {
    const { limits, clock } = options;
    this.#limits = limits;
    this.#branchTtlMs = options.branchTtlMs;
    const ttlMs = limits.ttlMs;
    this.#files = boundedCache<string, { blobSha: string; url?: string }>({
      maxEntries: limits.maxFiles,
      ttlMs,
      clock,
    });
    this.#listings = boundedCache<string, { files?: string[] }>({
      maxEntries: limits.maxFiles,
      ttlMs,
      clock,
    });
    this.#blobs = boundedCache<string, Blob>({
      maxBytes: limits.maxBlobBytes,
      sizeOf: blob => blob.bytes,
      ttlMs,
      clock,
    });
    this.#results = boundedCache<string, DesiredVersion>({
      maxEntries: limits.maxResults,
      ttlMs,
      clock,
    });
    this.#failures = boundedCache<string, { error: unknown }>({
      maxEntries: limits.maxFailures,
      ttlMs: Math.max(1, this.#failureTtlMs()),
      clock,
    });
  }

  stats(): DesiredVersionCacheStats {
    return {
      files: this.#files.stats(),
      listings: this.#listings.stats(),
      blobs: this.#blobs.stats(),
      results: this.#results.stats(),
      failures: this.#failures.stats(),
    };
  }

  result(key: string): DesiredVersion | undefined {
    return this.#results.cache.get(key);
  }

  setResult(key: string, value: DesiredVersion, pinned: boolean) {
    const ttl = this.#ttlMs(pinned);
    if (ttl > 0) this.#results.cache.set(key, value, { ttl });
  }

  /** The error a read failed with lately, if it is not to be retried yet. */
  failure(key: string): { error: unknown } | undefined {
    return this.#failures.cache.get(key);
  }

  setFailure(key: string, error: unknown) {
    const ttl = this.#failureTtlMs();
    if (ttl > 0) this.#failures.cache.set(key, { error }, { ttl });
  }

  /** A file read before, unless its lookup expired or its parsed content was evicted. */
  file(key: string): ReadFile | undefined {
    const entry = this.#files.cache.get(key);
    const blob = entry && this.#blobs.cache.get(entry.blobSha);
    return entry && blob ? { ...entry, ...documentsOf(blob) } : undefined;
  }

  /** Caches a file read from Git; its content is checked and parsed unless its blob is cached. */
  setFile(
    key: string,
    read: { blobSha: string; url?: string; pinned: boolean; path: string },
    content: () => string,
    yamlLimits?: YamlLimits,
  ): ReadFile {
    let blob = this.#blobs.cache.get(read.blobSha);
    if (!blob) {
      const text = content();
      checkYamlLimits(text, read.path, yamlLimits);
      blob = { ...parseDocuments(text), bytes: Buffer.byteLength(text) };
      this.#blobs.cache.set(read.blobSha, blob);
    }
    const ttl = this.#ttlMs(read.pinned);
    const entry = { blobSha: read.blobSha, url: read.url };
    if (ttl > 0) this.#files.cache.set(key, entry, { ttl });
    return { ...entry, ...documentsOf(blob) };
  }

  /**
   * Remembers that an optional file does not exist (a value file under `ignoreMissingValueFiles`,
   * a chart's `values.yaml`), for as long as a file read at that revision would be: otherwise
   * every Application's first read asks for it again. Kept in the file cache, within its bound.
   */
  setMissing(key: string, pinned: boolean): void {
    const ttl = this.#ttlMs(pinned);
    if (ttl > 0) this.#files.cache.set(key, { blobSha: MISSING }, { ttl });
  }

  /** Whether an optional file is known not to exist (see {@link GitReadCaches.setMissing}). */
  isMissing(key: string): boolean {
    return this.#files.cache.get(key)?.blobSha === MISSING;
  }

  /**
   * A directory listed before at a revision, for as long as a file read there would be; `files`
   * is absent when the directory did not exist.
   */
  listing(key: string): { files?: string[] } | undefined {
    return this.#listings.cache.get(key);
  }

  setListing(key: string, files: string[] | undefined, pinned: boolean): void {
    const ttl = this.#ttlMs(pinned);
    if (ttl > 0) this.#listings.cache.set(key, { files }, { ttl });
  }

  #ttlMs(pinned: boolean) {
    return pinned
      ? this.#limits.ttlMs
      : Math.min(this.#branchTtlMs, this.#limits.ttlMs);
  }

  #failureTtlMs() {
    return Math.min(this.#ttlMs(false), FAILURE_TTL_MS);
  }
}

function documentsOf(blob: Blob): Pick<ReadFile, 'document' | 'documents'> {
  return blob.documents
    ? { document: blob.document, documents: blob.documents }
    : { document: blob.document };
}
