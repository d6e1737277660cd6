import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/** Bounds and times to live of the in-memory caches (`gitops.cache`). */
export interface CacheLimits {
  git: {
    /** Files looked up at a revision (path at commit or branch to blob). */
    maxFiles: number;
    /** Parsed files, bounded by the bytes of their contents. */
    maxBlobBytes: number;
    /** Desired versions of Applications' sources. */
    maxResults: number;
    /** Failed reads answered from memory until they are retried. */
    maxFailures: number;
    /** Longest any Git read is served from memory, also one at a commit. */
    ttlMs: number;
  };
  history: {
    /** Applications whose Argo CD history is held. */
    maxEntries: number;
    ttlMs: number;
  };
  recentEntities: {
    /** Entities whose state was asked for recently (they get signals on changes). */
    maxEntries: number;
    ttlMs: number;
  };
}

/** The defaults of `gitops.cache`; at most a few hundred MB even with every cache full. */
export const DEFAULT_CACHE_LIMITS: CacheLimits = {
  git: {
    maxFiles: 10_000,
    maxBlobBytes: 16 * 1024 * 1024,
    maxResults: 20_000,
    maxFailures: 2_000,
    ttlMs: 60 * 60 * 1000,
  },
  history: { maxEntries: 1_000, ttlMs: 60 * 1000 },
  recentEntities: { maxEntries: 10_000, ttlMs: 60 * 60 * 1000 },
};

function readCount(config: Config, key: string, fallback: number): number {
  const value = config.getOptional(key);
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InputError(
      `Invalid gitops configuration: gitops.cache.${key}: must be a positive integer`,
    );
  }
  return value;
}

function readTtl(config: Config, key: string, fallback: number): number {
  if (!config.has(key)) return fallback;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new InputError(
      `Invalid gitops configuration: gitops.cache.${key}: ${
        (error as Error).message
      }`,
    );
  }
  if (!(ms > 0)) {
    throw new InputError(
      `Invalid gitops configuration: gitops.cache.${key}: must be a positive duration`,
    );
  }
  return ms;
}

/**
 * Reads `gitops.cache`: counts as positive integers, times to live as Backstage durations
 * (`30 minutes`, `PT1H` or `{ hours: 1 }`). Absent keys take {@link DEFAULT_CACHE_LIMITS}.
 */
export function readCacheLimits(root: Config): CacheLimits {
  const config = root.getOptionalConfig('gitops.cache');
  if (!config) return DEFAULT_CACHE_LIMITS;
  const d = DEFAULT_CACHE_LIMITS;
  return {
    git: {
      maxFiles: readCount(config, 'git.maxFiles', d.git.maxFiles),
      maxBlobBytes: readCount(config, 'git.maxBlobBytes', d.git.maxBlobBytes),
      maxResults: readCount(config, 'git.maxResults', d.git.maxResults),
      maxFailures: readCount(config, 'git.maxFailures', d.git.maxFailures),
      ttlMs: readTtl(config, 'git.ttl', d.git.ttlMs),
    },
    history: {
      maxEntries: readCount(config, 'history.maxEntries', d.history.maxEntries),
      ttlMs: readTtl(config, 'history.ttl', d.history.ttlMs),
    },
    recentEntities: {
      maxEntries: readCount(
        config,
        'recentEntities.maxEntries',
        d.recentEntities.maxEntries,
      ),
      ttlMs: readTtl(config, 'recentEntities.ttl', d.recentEntities.ttlMs),
    },
  };
}
