import { ConfigReader } from '@backstage/config';
import { readGitopsConfig } from './readGitopsConfig';

const base = {
  environments: [
    { name: 'staging', clusters: ['staging-1'] },
    { name: 'prod', clusters: ['prod-eu-1'] },
  ],
  clusters: [{ name: 'staging-1' }, { name: 'prod-eu-1' }],
};

function read(extra: Record<string, unknown>) {
  return readGitopsConfig(new ConfigReader({ gitops: { ...base, ...extra } }));
}

describe('gitops.notifications and gitops.controlPlane', () => {
  it('notifies the last environment only, with everything on, by default', () => {
    const config = read({});
    expect(config.notifications).toEqual({
      enabled: true,
      environments: {
        prod: { driftAfterMs: 900_000, syncFailures: true, promotions: true },
      },
    });
    expect(config.controlPlane.outOfSyncThresholdMs).toBe(30 * 60_000);
  });

  it('reads environments, durations and switches', () => {
    const config = read({
      notifications: {
        enabled: false,
        environments: {
          staging: { driftAfter: '2 minutes', promotions: false },
          prod: { drift: false },
        },
      },
      controlPlane: { outOfSyncThreshold: { minutes: 5 } },
    });
    expect(config.notifications).toEqual({
      enabled: false,
      environments: {
        staging: {
          driftAfterMs: 120_000,
          syncFailures: true,
          promotions: false,
        },
        prod: { driftAfterMs: undefined, syncFailures: true, promotions: true },
      },
    });
    expect(config.controlPlane.outOfSyncThresholdMs).toBe(300_000);
  });

  it('names unknown environments and number-of-minutes keys with the fix', () => {
    expect(() =>
      read({
        notifications: {
          environments: { qa: {}, prod: { driftAfterMinutes: 5 } },
        },
        controlPlane: { outOfSyncThresholdMinutes: 10 },
      }),
    ).toThrow(
      /gitops\.notifications\.environments\.qa: qa is not a configured environment \(staging, prod\).*gitops\.notifications\.environments\.prod\.driftAfterMinutes: renamed: write gitops\.notifications\.environments\.prod\.driftAfter as a duration/,
    );
    expect(() =>
      read({ controlPlane: { outOfSyncThresholdMinutes: 10 } }),
    ).toThrow(/gitops\.controlPlane\.outOfSyncThresholdMinutes: renamed/);
  });
});
