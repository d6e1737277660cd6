import { Config } from '@backstage/config';
import {
  ConfigProblems,
  readDurationMs,
  readWholeNumber,
} from './configProblems';
import { DEFAULT_CACHE_LIMITS } from './defaults';

/** Bounds and times to live of the in-memory caches (`gitops.cache`). @public */
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

/**
 * Reads `gitops.cache`: counts as positive integers, times to live as Backstage durations
 * (`30 minutes`, `PT1H` or `{ hours: 1 }`). Absent keys take {@link DEFAULT_CACHE_LIMITS}.
 */
export function readCacheLimits(
  root: Config,
  problems: ConfigProblems,
): CacheLimits {
  const config = root.getOptionalConfig('gitops.cache');
  if (!config) return DEFAULT_CACHE_LIMITS;
  const d = DEFAULT_CACHE_LIMITS;
  const count = (key: string, fallback: number) =>
    readWholeNumber(
      config,
      { key, path: `gitops.cache.${key}`, fallback, min: 1 },
      problems,
    );
  const ttl = (key: string, fallbackMs: number) =>
    readDurationMs(
      config,
      { key, path: `gitops.cache.${key}`, fallbackMs },
      problems,
    );
  return {
    git: {
      maxFiles: count('git.maxFiles', d.git.maxFiles),
      maxBlobBytes: count('git.maxBlobBytes', d.git.maxBlobBytes),
      maxResults: count('git.maxResults', d.git.maxResults),
      maxFailures: count('git.maxFailures', d.git.maxFailures),
      ttlMs: ttl('git.ttl', d.git.ttlMs),
    },
    history: {
      maxEntries: count('history.maxEntries', d.history.maxEntries),
      ttlMs: ttl('history.ttl', d.history.ttlMs),
    },
    recentEntities: {
      maxEntries: count(
        'recentEntities.maxEntries',
        d.recentEntities.maxEntries,
      ),
      ttlMs: ttl('recentEntities.ttl', d.recentEntities.ttlMs),
    },
  };
}
