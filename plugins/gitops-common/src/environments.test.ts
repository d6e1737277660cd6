import type { ClusterState } from './state';
import { emptyDrift } from './drift';
import {
  computeLag,
  isCellSkewed,
  summarizeEnvironments,
} from './environments';

function cell(
  cluster: string,
  environment: string,
  liveVersion?: string,
  extra: Partial<ClusterState> = {},
): ClusterState {
  return {
    cluster,
    environment,
    application: liveVersion
      ? { instance: 'core', namespace: 'argocd', name: `svc-${cluster}` }
      : undefined,
    sync: 'Synced',
    health: 'Healthy',
    liveImages: [],
    liveVersion,
    drift: emptyDrift(),
    skew: false,
    ...extra,
  };
}

describe('summarizeEnvironments', () => {
  it('computes versions, skew between clusters, health and lag', () => {
    const [staging, prod] = summarizeEnvironments([
      {
        name: 'staging',
        title: 'Staging',
        clusters: [cell('staging-1', 'staging', '1.5.0')],
      },
      {
        name: 'prod',
        title: 'Production',
        clusters: [
          cell('prod-eu-1', 'prod', '1.4.2'),
          cell('prod-us-1', 'prod', '1.4.0', {
            health: 'Degraded',
            sync: 'OutOfSync',
          }),
        ],
      },
    ]);
    expect(staging).toMatchObject({
      version: '1.5.0',
      skew: false,
      next: 'prod',
    });
    expect(staging.lag).toBeUndefined();
    expect(prod).toMatchObject({
      versions: ['1.4.2', '1.4.0'],
      skew: true,
      health: 'Degraded',
      sync: 'OutOfSync',
      lag: {
        previousEnvironment: 'staging',
        previousVersion: '1.5.0',
        behind: true,
        versionsBehind: 2,
      },
    });
    expect(prod.version).toBeUndefined();
  });

  it('is not behind when the environment runs the previous version', () => {
    expect(
      computeLag({ name: 'dev', versions: ['2.0.0'] }, { versions: ['2.0.0'] })
        .behind,
    ).toBe(false);
  });

  it('marks a cell skewed only when desired and live are known and differ', () => {
    expect(isCellSkewed({ liveVersion: '1', desiredVersion: '2' })).toBe(true);
    expect(isCellSkewed({ liveVersion: '1' })).toBe(false);
  });

  it('takes a live version inside a chart targetRevision range as no skew', () => {
    const skewed = (liveVersion: string, desiredVersion: string) =>
      isCellSkewed({ liveVersion, desiredVersion });
    expect(skewed('4.11.3', '4.11.*')).toBe(false);
    expect(skewed('4.12.0', '4.11.*')).toBe(true);
    expect(skewed('1.9.0', '^1.2.0')).toBe(false);
    expect(skewed('2.0.0', '>=1.0.0 <2.0.0')).toBe(true);
    expect(skewed('1.4.0', '1.4')).toBe(true);
  });
});
