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
