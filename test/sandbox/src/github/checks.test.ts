import { CHECK_RUNNING_MS, checkRunsOf } from './checks';
import type { PullRecord } from './model';

const pull = { number: 3, updatedAt: '2025-06-04T10:00:00.000Z' } as PullRecord;
const opened = Date.parse(pull.updatedAt);

describe('checkRunsOf', () => {
  it('runs ci / validate on a pull request head for a few seconds, then succeeds', () => {
    const heads = [{ pull, headSha: 'a'.repeat(40) }];
    expect(checkRunsOf(heads, 'a'.repeat(40), opened + 1000)).toEqual([
      expect.objectContaining({
        name: 'ci / validate',
        status: 'in_progress',
        conclusion: null,
      }),
    ]);
    expect(
      checkRunsOf(heads, 'a'.repeat(40), opened + CHECK_RUNNING_MS),
    ).toEqual([
      expect.objectContaining({
        status: 'completed',
        conclusion: 'success',
        completed_at: '2025-06-04T10:00:04.000Z',
      }),
    ]);
    expect(checkRunsOf(heads, 'b'.repeat(40), opened)).toEqual([]);
  });
});
