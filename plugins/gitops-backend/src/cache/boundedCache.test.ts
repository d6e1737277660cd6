import { boundedCache } from './boundedCache';

describe('boundedCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  it('evicts the least recently used entry past its bound in entries, and counts it', () => {
    const { cache, stats } = boundedCache<string, { v: number }>({
      maxEntries: 2,
      ttlMs: 60_000,
      clock,
    });
    cache.set('a', { v: 1 });
    cache.set('b', { v: 2 });
    cache.get('a');
    cache.set('c', { v: 3 });

    expect([...cache.keys()].sort()).toEqual(['a', 'c']);
    expect(stats()).toEqual({
      bound: 2,
      unit: 'entries',
      inserted: 3,
      evicted: 1,
      expired: 0,
      held: 2,
    });
  });

  it('evicts past its bound in bytes, counting inserted bytes, and never holds an entry larger than the bound', () => {
    const { cache, stats } = boundedCache<string, { bytes: number }>({
      maxBytes: 100,
      sizeOf: v => v.bytes,
      ttlMs: 60_000,
      clock,
    });
    cache.set('a', { bytes: 60 });
    cache.set('b', { bytes: 30 });
    cache.set('c', { bytes: 30 });
    expect(cache.has('a')).toBe(false);
    expect(stats()).toMatchObject({
      unit: 'bytes',
      inserted: 120,
      evicted: 1,
      held: 60,
    });

    cache.set('huge', { bytes: 101 });
    expect(cache.has('huge')).toBe(false);
    expect(stats().held).toBeLessThanOrEqual(100);
  });

  it('drops an entry after its time to live, or after a shorter one given to set', () => {
    const { cache, stats } = boundedCache<string, { v: number }>({
      maxEntries: 10,
      ttlMs: 60_000,
      clock,
    });
    cache.set('long', { v: 1 });
    cache.set('short', { v: 2 }, { ttl: 1_000 });

    now += 999;
    expect(cache.get('short')).toEqual({ v: 2 });
    now += 2;
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('long')).toEqual({ v: 1 });

    now += 60_000;
    expect(cache.get('long')).toBeUndefined();
    expect(stats()).toMatchObject({ expired: 2, evicted: 0, held: 0 });
  });
});
