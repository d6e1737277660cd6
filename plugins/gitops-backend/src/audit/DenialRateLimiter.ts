import { LRUCache } from 'lru-cache';

/** Options of {@link DenialRateLimiter}. */
export interface DenialRateLimiterOptions {
  /** Denials let through per actor and entity in one window (default 5). */
  maxPerWindow?: number;
  /** Length of a window in milliseconds (default one minute). */
  windowMs?: number;
  /** Actor and entity pairs remembered at most; the least recently denied are forgotten (default 10 000). */
  maxKeys?: number;
  /** Called with the denials a forgotten pair had suppressed, so that they are not lost silently. */
  onForget?: (key: string, suppressed: number) => void;
  clock?: () => number;
}

interface Window {
  startedAt: number;
  passed: number;
  suppressed: number;
}

/**
 * Decides which denials of one actor on one entity are reported: at most `maxPerWindow` per
 * window; the rest are counted, and the count rides on the first report of a later window.
 * Memory is bounded by `maxKeys` (an LRU cache).
 */
export class DenialRateLimiter {
  readonly #max: number;
  readonly #windowMs: number;
  readonly #clock: () => number;
  readonly #windows: LRUCache<string, Window>;

  constructor(options: DenialRateLimiterOptions = {}) {
    this.#max = options.maxPerWindow ?? 5;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#clock = options.clock ?? Date.now;
    const onForget = options.onForget;
    this.#windows = new LRUCache<string, Window>({
      max: options.maxKeys ?? 10_000,
      dispose: (window, key, reason) => {
        if (reason === 'evict' && window.suppressed > 0) {
          onForget?.(key, window.suppressed);
        }
      },
    });
  }

  /**
   * Counts one denial. Returns `undefined` when it is to be suppressed, else how many denials of
   * the pair were suppressed since the last one reported.
   */
  admit(actor: string, entityRef: string): { suppressed: number } | undefined {
    const key = `${actor} ${entityRef}`;
    const now = this.#clock();
    const window = this.#windows.get(key);
    if (!window || now - window.startedAt >= this.#windowMs) {
      this.#windows.set(key, { startedAt: now, passed: 1, suppressed: 0 });
      return { suppressed: window?.suppressed ?? 0 };
    }
    if (window.passed < this.#max) {
      window.passed++;
      return { suppressed: 0 };
    }
    window.suppressed++;
    return undefined;
  }

  /** How many pairs are remembered. */
  get size(): number {
    return this.#windows.size;
  }
}
