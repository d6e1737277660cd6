import { ConfigReader } from '@backstage/config';
import { readCacheLimits } from './cacheLimits';
import { DEFAULT_CACHE_LIMITS } from './defaults';
import { ConfigProblems } from './configProblems';
import { readGitopsConfig } from './readGitopsConfig';

function read(config: ConfigReader) {
  const problems = new ConfigProblems();
  const limits = readCacheLimits(config, problems);
  problems.throwIfAny();
  return limits;
}

describe('readCacheLimits', () => {
  it('defaults every bound and time to live', () => {
    expect(read(new ConfigReader({}))).toEqual(DEFAULT_CACHE_LIMITS);
    expect(readGitopsConfig(new ConfigReader({})).cache).toEqual(
      DEFAULT_CACHE_LIMITS,
    );
  });

  it('reads counts and Backstage durations under gitops.cache', () => {
    const limits = read(
      new ConfigReader({
        gitops: {
          cache: {
            git: { maxFiles: 5, maxBlobBytes: 1024, ttl: '30 minutes' },
            history: { maxEntries: 7, ttl: 'PT2M' },
            recentEntities: { ttl: { hours: 2 } },
          },
        },
      }),
    );
    expect(limits).toEqual({
      git: {
        ...DEFAULT_CACHE_LIMITS.git,
        maxFiles: 5,
        maxBlobBytes: 1024,
        ttlMs: 30 * 60_000,
      },
      history: { maxEntries: 7, ttlMs: 2 * 60_000 },
      recentEntities: {
        maxEntries: DEFAULT_CACHE_LIMITS.recentEntities.maxEntries,
        ttlMs: 2 * 60 * 60_000,
      },
    });
  });

  it.each([
    [
      { git: { maxFiles: 0 } },
      /gitops.cache.git.maxFiles: must be a whole number of at least 1, not 0/,
    ],
    [{ history: { maxEntries: 1.5 } }, /gitops.cache.history.maxEntries/],
    [{ git: { ttl: 'soon' } }, /gitops.cache.git.ttl/],
    [
      { history: { ttl: '0 seconds' } },
      /gitops.cache.history.ttl: must be a positive duration/,
    ],
  ])('refuses %j naming the key', (cache, message) => {
    expect(() => read(new ConfigReader({ gitops: { cache } }))).toThrow(
      message,
    );
  });
});
