import { LRUCache } from 'lru-cache';

/** What a bounded cache did so far, for benchmarks and tests. */
export interface CacheStats {
  /** The bound: entries, or bytes when the cache is bounded by size. */
  bound: number;
  unit: 'entries' | 'bytes';
  /** New keys stored, counted in the bound's unit (bytes for a size-bounded cache). */
  inserted: number;
  /** Entries dropped to stay within the bound. */
  evicted: number;
  /** Entries dropped because their time to live ran out. */
  expired: number;
  /** What the cache holds now, in the bound's unit. */
  held: number;
}

/** Options of {@link boundedCache}. */
export interface BoundedCacheOptions<V> {
  /** Most entries held; the least recently used are evicted. */
  maxEntries?: number;
  /** Most bytes held, as `sizeOf` counts them; the least recently used are evicted. */
  maxBytes?: number;
  sizeOf?: (value: V) => number;
  /** Longest time an entry is served; `set` may give an entry a shorter one. */
  ttlMs: number;
  /** Milliseconds now; defaults to `performance.now`. Tests and benchmarks pass a simulated clock. */
  clock?: () => number;
}

/** An LRU cache with a bound and a time to live, counting what it inserts and drops. */
export interface BoundedCache<K extends {}, V extends {}> {
  readonly cache: LRUCache<K, V>;
  stats(): CacheStats;
}

/**
 * Creates an LRU cache bounded in entries or bytes, whose entries expire after `ttlMs`. Expired
 * entries are dropped when read, or evicted like any other when the cache is full, so memory
 * stays within the bound without a timer.
 */
export function boundedCache<K extends {}, V extends {}>(
  options: BoundedCacheOptions<V>,
): BoundedCache<K, V> {
  const bySize = options.maxBytes !== undefined;
  const sizeOf = (value: V) => Math.max(1, options.sizeOf?.(value) ?? 1);
  const counts = { inserted: 0, evicted: 0, expired: 0 };
  const clock = options.clock;
  const limits: LRUCache.OptionsBase<K, V, unknown> = {
    ttl: options.ttlMs,
    // expired entries are dropped when read or evicted when the cache is full, without a timer
    ttlAutopurge: false,
    // the simulated clock of a benchmark moves in jumps: no caching of "now" between reads
    ttlResolution: 0,
    ...(clock ? { perf: { now: clock } } : {}),
    onInsert: (value, _key, reason) => {
      if (reason === 'add') counts.inserted += bySize ? sizeOf(value) : 1;
    },
    dispose: (_value, _key, reason) => {
      if (reason === 'evict') counts.evicted++;
      else if (reason === 'expire') counts.expired++;
    },
  };
  const bound = bySize ? options.maxBytes! : options.maxEntries ?? 1000;
  const cache = new LRUCache<K, V>(
    bySize
      ? { ...limits, maxSize: bound, sizeCalculation: sizeOf }
      : { ...limits, max: bound },
  );
  return {
    cache,
    stats: () => ({
      bound,
      unit: bySize ? 'bytes' : 'entries',
      ...counts,
      held: bySize ? cache.calculatedSize : cache.size,
    }),
  };
}
