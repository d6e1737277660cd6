import { mockServices } from '@backstage/backend-test-utils';
import { SourceRequestError, StalledError } from './classifyError';
import {
  backoffMs,
  jittered,
  jitteredBackoffMs,
  SourceHealth,
} from './SourceHealth';

describe('SourceHealth', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function health() {
    const onStatusChange = jest.fn();
    const h = new SourceHealth({
      instance: 'core',
      type: 'kubernetes',
      logger: mockServices.logger.mock(),
      onStatusChange,
      establishedMs: 1000,
    });
    return { h, onStatusChange };
  }

  it('becomes ok on the first list, but recovers from an error only once the watch is established', () => {
    const { h, onStatusChange } = health();
    h.listed();
    expect(h.status().state).toBe('ok');

    h.fail(new SourceRequestError('forbidden', 403), 'instance core');
    h.listed();
    h.watchOpened();
    jest.advanceTimersByTime(999);
    expect(h.status().state).toBe('error');
    h.watchClosed();
    jest.advanceTimersByTime(5000);
    expect(h.status().state).toBe('error');

    h.watchOpened();
    jest.advanceTimersByTime(1000);
    expect(h.status()).toMatchObject({ state: 'ok', errors: [] });
    expect(onStatusChange).toHaveBeenCalledTimes(3);
  });

  it('keeps a stall while the re-opened watch stays silent, and clears it once data arrives', () => {
    const { h } = health();
    h.listed();
    h.fail(new StalledError('nothing for 300 s'), 'instance core');
    h.listed();
    h.watchOpened();
    jest.advanceTimersByTime(5000);
    expect(h.errorKind()).toBe('stalled');
    h.delivered();
    expect(h.status().state).toBe('ok');
  });

  it('is in error while any scope is, and reports each failing scope', () => {
    const { h } = health();
    h.listed('team-a');
    h.fail(new SourceRequestError('x', 403), 'namespace team-b', 'team-b');
    h.fail(new SourceRequestError('x', 401), 'namespace team-c', 'team-c');
    expect(h.status().state).toBe('error');
    expect(h.status().errors.map(e => e.kind)).toEqual([
      'forbidden',
      'unauthorized',
    ]);
    h.delivered('team-b');
    h.delivered('team-c');
    expect(h.status().state).toBe('ok');
  });
});

describe('jitteredBackoffMs', () => {
  it('is between half and all of the exponential backoff, capped at 30 s', () => {
    expect(jitteredBackoffMs(0, () => 0)).toBe(500);
    expect(jitteredBackoffMs(0, () => 1)).toBe(1000);
    expect(jitteredBackoffMs(3, () => 0.5)).toBe(6000);
    expect(jitteredBackoffMs(20, () => 1)).toBe(30_000);
    expect(backoffMs(20)).toBe(30_000);
  });
});

describe('jittered', () => {
  it('picks a delay between half of the given one and all of it', () => {
    expect(jittered(2000, () => 0)).toBe(1000);
    expect(jittered(2000, () => 0.5)).toBe(1500);
    expect(jittered(2000, () => 1)).toBe(2000);
  });
});
