/** GitHub-style primary rate limits per token, reported on every response. */
export class RateLimiter {
  private readonly used = new Map<string, { used: number; reset: number }>();

  constructor(
    private readonly limit = 5000,
    private readonly anonymousLimit = 60,
  ) {}

  private bucket(key: string) {
    const now = Math.floor(Date.now() / 1000);
    let bucket = this.used.get(key);
    if (!bucket || bucket.reset <= now) {
      bucket = { used: 0, reset: now + 3600 };
      this.used.set(key, bucket);
    }
    return bucket;
  }

  /** Counts one request (unless `count` is false) and returns the headers. */
  take(token: string | undefined, count = true): Record<string, string> {
    const limit = token ? this.limit : this.anonymousLimit;
    const bucket = this.bucket(token ?? 'anonymous');
    if (count) bucket.used += 1;
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(limit - bucket.used, 0)),
      'x-ratelimit-reset': String(bucket.reset),
      'x-ratelimit-used': String(bucket.used),
      'x-ratelimit-resource': 'core',
    };
  }

  overview(token: string | undefined) {
    const limit = token ? this.limit : this.anonymousLimit;
    const bucket = this.bucket(token ?? 'anonymous');
    const core = {
      limit,
      used: bucket.used,
      remaining: Math.max(limit - bucket.used, 0),
      reset: bucket.reset,
    };
    const other = (n: number) => ({
      limit: n,
      used: 0,
      remaining: n,
      reset: bucket.reset,
    });
    return {
      resources: {
        core,
        search: other(30),
        graphql: other(5000),
        integration_manifest: other(5000),
        code_search: other(10),
      },
      rate: core,
    };
  }

  reset(): void {
    this.used.clear();
  }
}

/** When and how long the stand-in answers writes with GitHub's secondary rate limit. */
export interface SecondaryRateLimitOptions {
  /** Writes (non-GET REST requests) still answered normally before the limit hits. */
  afterWrites: number;
  /** Writes answered with the limit once it hit; null means every later write. */
  count: number | null;
  /** The `retry-after` header, in seconds. */
  retryAfterSeconds: number;
  /** GitHub answers 403, sometimes 429. */
  status?: 403 | 429;
}

/**
 * GitHub's secondary rate limit (too many writes too fast): a 403 or 429 with `retry-after` and
 * a message naming it, while the primary limit still has requests left. Armed by tests, so it
 * hits in the middle of a promotion.
 */
export class SecondaryRateLimit {
  private armed?: SecondaryRateLimitOptions;
  /** Writes answered with the limit since the stand-in started or was reset. */
  hits = 0;
  /** Route templates of the writes since the stand-in started or was reset, in order. */
  readonly writes: string[] = [];

  /** Arms the limit and starts counting hits and writes anew. */
  arm(options: SecondaryRateLimitOptions): void {
    this.reset();
    this.armed = { ...options };
  }

  /** Counts a write; returns the response to send when the limit applies to it. */
  take(
    route: string,
  ):
    | { status: number; headers: Record<string, string>; body: object }
    | undefined {
    this.writes.push(route);
    const armed = this.armed;
    if (!armed) return undefined;
    if (armed.afterWrites > 0) {
      armed.afterWrites -= 1;
      return undefined;
    }
    if (armed.count !== null) {
      if (armed.count <= 0) {
        this.armed = undefined;
        return undefined;
      }
      armed.count -= 1;
    }
    this.hits += 1;
    return {
      status: armed.status ?? 403,
      headers: { 'retry-after': String(armed.retryAfterSeconds) },
      body: {
        message:
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url:
          'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
        status: String(armed.status ?? 403),
      },
    };
  }

  reset(): void {
    this.armed = undefined;
    this.hits = 0;
    this.writes.length = 0;
  }
}
