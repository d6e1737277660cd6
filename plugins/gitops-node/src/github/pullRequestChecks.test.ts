import { summarizeChecks } from './pullRequestChecks';

describe('summarizeChecks', () => {
  it('is none without check runs or statuses', () => {
    expect(summarizeChecks([], [])).toEqual({
      state: 'none',
      total: 0,
      failed: 0,
      pending: 0,
    });
  });

  it('is pending while a check runs and none failed', () => {
    expect(
      summarizeChecks(
        [
          { status: 'in_progress' },
          { status: 'completed', conclusion: 'success' },
        ],
        [{ state: 'success' }],
      ),
    ).toEqual({ state: 'pending', total: 3, failed: 0, pending: 1 });
  });

  it('fails on a failed check run or an error status, even while others run', () => {
    expect(
      summarizeChecks(
        [
          { status: 'completed', conclusion: 'timed_out' },
          { status: 'queued' },
        ],
        [{ state: 'error' }],
      ),
    ).toEqual({ state: 'failure', total: 3, failed: 2, pending: 1 });
  });

  it('passes neutral and skipped runs', () => {
    expect(
      summarizeChecks(
        [
          { status: 'completed', conclusion: 'neutral' },
          { status: 'completed', conclusion: 'skipped' },
        ],
        [],
      ).state,
    ).toBe('success');
  });
});
