import { screen, within } from '@testing-library/react';
import {
  ClusterState,
  EntityGitopsState,
} from '@backstage-gitops/plugin-gitops-common';
import {
  clusterState,
  environmentState,
  storefrontWebState,
} from '../../__testUtils__/states';
import {
  entityNamed,
  mockGitopsApi,
  renderWithEntity,
} from '../../__testUtils__/renderGitops';
import { seriousViolations } from '../../__testUtils__/axe';
import { EnvironmentMatrix } from './EnvironmentMatrix';

// axe walks the whole rendered tree in jsdom: slow on a loaded machine, not a product timing
jest.setTimeout(60_000);

/** storefront-web with prod on `count` clusters, the third drifted and the fifth unreachable. */
function withProdClusters(count: number): EntityGitopsState {
  const clusters = Array.from({ length: count }, (_, i): ClusterState => {
    const name = `prod-${String(i + 1).padStart(2, '0')}`;
    if (i === 2) {
      return clusterState('storefront-web', 'prod', name, '1.4.1', {
        desiredVersion: '1.4.2',
        skew: true,
        sync: 'OutOfSync',
        drift: {
          outOfSync: [
            { kind: 'ConfigMap', name: 'web-config', status: 'OutOfSync' },
          ],
          requiresPruning: [],
          missing: [],
          comparisonErrors: [],
          expected: [],
        },
      });
    }
    if (i === 4) {
      return {
        ...clusterState('storefront-web', 'prod', name, '1.4.2'),
        application: undefined,
        error: {
          source: 'edge',
          kind: 'unreachable',
          message: 'connect ECONNREFUSED',
          since: new Date().toISOString(),
        },
      };
    }
    return clusterState('storefront-web', 'prod', name, '1.4.2');
  });
  const prod = environmentState('prod', 'Production', clusters);
  return {
    ...storefrontWebState,
    environments: [...storefrontWebState.environments.slice(0, 2), prod],
  };
}

function renderMatrix(state: EntityGitopsState) {
  return renderWithEntity(<EnvironmentMatrix state={state} />, {
    entity: entityNamed('storefront-web'),
    api: mockGitopsApi({}),
  });
}

function rowOf(table: HTMLElement, cluster: string) {
  return within(table).getByRole('row', { name: new RegExp(cluster) });
}

describe('EnvironmentMatrix', () => {
  it('keeps a card per cluster up to four clusters', async () => {
    await renderMatrix(withProdClusters(4));
    expect(screen.getByRole('region', { name: 'prod-01' })).toBeVisible();
    expect(screen.getByRole('region', { name: 'prod-04' })).toBeVisible();
    expect(
      screen.queryByRole('group', { name: 'Clusters of Production' }),
    ).toBeNull();
  });

  it('shows twenty clusters as one compact row each', async () => {
    await renderMatrix(withProdClusters(20));
    const group = screen.getByRole('group', {
      name: 'Clusters of Production',
    });
    const table =
      within(group).queryByRole('grid') ?? within(group).getByRole('table');
    // a header row and one row per cluster, no cards
    expect(within(table).getAllByRole('row')).toHaveLength(21);
    expect(screen.queryByRole('region', { name: 'prod-01' })).toBeNull();

    const drifted = rowOf(table, 'prod-03');
    expect(within(drifted).getByText('1.4.1')).toBeInTheDocument();
    expect(
      within(drifted).getByText('Skew: live differs from desired'),
    ).toBeInTheDocument();
    expect(within(drifted).getByText('OutOfSync')).toBeInTheDocument();
    expect(
      within(drifted).getByText('1 difference from Git'),
    ).toBeInTheDocument();

    const failed = rowOf(table, 'prod-05');
    expect(
      within(failed).getByText(/Source failed: edge \(unreachable\)/),
    ).toBeInTheDocument();
    expect(within(failed).getByText('not deployed')).toBeInTheDocument();

    expect(await seriousViolations(group)).toEqual([]);

    const healthy = rowOf(table, 'prod-20');
    expect(within(healthy).getByText('Synced')).toBeInTheDocument();
    expect(within(healthy).getByText('Healthy')).toBeInTheDocument();
    expect(within(healthy).getByText('No drift')).toBeInTheDocument();
  });
});
