import {
  normalizeSyncFailureMessage,
  topSyncFailureReasons,
} from './syncFailureReasons';

describe('normalizeSyncFailureMessage', () => {
  it('drops what differs between failures of one cause', () => {
    expect(
      normalizeSyncFailureMessage(
        'error at 2026-01-01T10:00:00Z: pod web-7d4b9c8f6d image sha256:0123456789abcdef0123 uid 0d7a54a4-9a7c-4c1e-8a7e-3b0f9a0c1d2e generation 10042   (retried 3 times).',
      ),
    ).toBe(
      'error at <time>: pod web-<hash> image sha256:<hash> uid <id> generation <n>',
    );
  });

  it('keeps words, short numbers and names', () => {
    expect(
      normalizeSyncFailureMessage(
        'deployment api failed: 3 replicas unavailable',
      ),
    ).toBe('deployment api failed: 3 replicas unavailable');
  });

  it('ranks reasons by count and bounds them', () => {
    expect(topSyncFailureReasons(['b', 'a', 'b', 'c', 'a', 'b'], 2)).toEqual([
      { message: 'b', count: 3 },
      { message: 'a', count: 2 },
    ]);
  });
});
