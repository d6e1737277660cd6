import { DenialRateLimiter } from './DenialRateLimiter';

describe('DenialRateLimiter', () => {
  it('lets maxPerWindow denials of a pair through per window and reports the suppressed ones next', () => {
    let now = 0;
    const limiter = new DenialRateLimiter({
      maxPerWindow: 2,
      windowMs: 1000,
      clock: () => now,
    });
    const admitted = () =>
      Array.from({ length: 5 }, () =>
        limiter.admit('user:default/mallory', 'component:default/a'),
      );

    expect(admitted()).toEqual([
      { suppressed: 0 },
      { suppressed: 0 },
      undefined,
      undefined,
      undefined,
    ]);
    // another entity and another actor have windows of their own
    expect(
      limiter.admit('user:default/mallory', 'component:default/b'),
    ).toEqual({ suppressed: 0 });
    expect(limiter.admit('user:default/eve', 'component:default/a')).toEqual({
      suppressed: 0,
    });

    now = 999;
    expect(
      limiter.admit('user:default/mallory', 'component:default/a'),
    ).toBeUndefined();
    now = 1000;
    expect(admitted()).toEqual([
      { suppressed: 4 },
      { suppressed: 0 },
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('remembers at most maxKeys pairs and says how many denials a forgotten pair suppressed', () => {
    const forgotten: Array<[string, number]> = [];
    const limiter = new DenialRateLimiter({
      maxPerWindow: 1,
      maxKeys: 3,
      onForget: (key, suppressed) => forgotten.push([key, suppressed]),
    });
    limiter.admit('user:default/mallory', 'component:default/a');
    limiter.admit('user:default/mallory', 'component:default/a');
    limiter.admit('user:default/mallory', 'component:default/a');
    for (let i = 0; i < 100; i++) {
      limiter.admit(`user:default/u${i}`, 'component:default/a');
    }

    expect(limiter.size).toBe(3);
    expect(forgotten).toEqual([
      ['user:default/mallory component:default/a', 2],
    ]);
  });
});
