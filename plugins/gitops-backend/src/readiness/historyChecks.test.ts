import {
  ClusterState,
  emptyDrift,
  EnvironmentHistory,
  HistoryEntry,
} from '@backstage-gitops/plugin-gitops-common';
import { historyChecks } from './historyChecks';

const cell: ClusterState = {
  cluster: 'prod-eu-1',
  environment: 'prod',
  sync: 'Synced',
  health: 'Healthy',
  liveImages: [],
  liveVersion: '1.8.0',
  revision: 'c'.repeat(40),
  drift: emptyDrift(),
  skew: false,
};

const entry = (id: number, version: string): HistoryEntry => ({
  cluster: 'prod-eu-1',
  application: { instance: 'core', namespace: 'argocd', name: 'api-prod-eu-1' },
  id,
  version,
  images: [],
  deployedAt: `2024-05-0${id}T10:00:00Z`,
});

function history(
  entries: HistoryEntry[],
  errors: EnvironmentHistory['errors'] = [],
): EnvironmentHistory {
  return {
    entityRef: 'component:default/api',
    environment: 'prod',
    entries,
    errors,
  };
}

// https://argo-cd.readthedocs.io/en/stable/user-guide/commands/argocd_app_rollback/: a rollback
// goes to an id of the Application's history, which records each successful sync
describe('historyChecks', () => {
  it('passes when an earlier version was deployed', () => {
    expect(
      historyChecks(cell, history([entry(3, '1.8.0'), entry(2, '1.7.3')])),
    ).toEqual([
      {
        id: 'rollback',
        result: 'pass',
        reason: 'can roll back to 1.7.3 (deployed 2024-05-02T10:00:00Z)',
      },
    ]);
  });

  it('fails when the history holds only the running version, or nothing', () => {
    expect(historyChecks(cell, history([entry(3, '1.8.0')]))[0]).toMatchObject({
      result: 'fail',
      reason: 'the history holds only 1.8.0',
    });
    expect(historyChecks(cell, history([]))[0].reason).toBe(
      'Argo CD holds no history for this Application',
    );
  });

  it('is unknown when the history of the cluster could not be read', () => {
    expect(
      historyChecks(
        cell,
        history(
          [],
          [
            {
              source: 'instance:core',
              instance: 'core',
              cluster: 'prod-eu-1',
              kind: 'unreachable',
              message: 'connect ECONNREFUSED',
            },
          ],
        ),
      )[0],
    ).toMatchObject({
      result: 'unknown',
      reason: 'the history could not be read: connect ECONNREFUSED',
    });
  });
});
