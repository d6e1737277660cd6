import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { mockClusterState } from '@backstage-gitops/plugin-gitops-common/testUtils';
import { ClusterCell } from './ClusterCell';

describe('ClusterCell', () => {
  it('says in words where the desired version comes from', async () => {
    const cluster = mockClusterState({
      environment: 'prod',
      cluster: 'prod-eu-1',
      version: '1.4.2',
      source: {
        path: 'apps/checkout-api/envs/prod/values.yaml',
        description:
          'Helm values key image.tag in apps/checkout-api/envs/prod/values.yaml',
      },
    });
    await renderInTestApp(<ClusterCell cluster={cluster} />);
    expect(
      screen.getByTitle(
        'Desired version from: Helm values key image.tag in apps/checkout-api/envs/prod/values.yaml',
      ),
    ).toHaveTextContent('1.4.2');
  });

  it('shows the reason of an unknown desired version in the cell', async () => {
    const cluster = mockClusterState({
      environment: 'prod',
      cluster: 'prod-eu-1',
      version: '1.4.2',
      desiredVersion: undefined,
      desiredSource: undefined,
      desiredReason:
        'the manifests Argo CD renders (Jsonnet or plain manifests): no rendered image is named checkout-api',
    });
    await renderInTestApp(<ClusterCell cluster={cluster} />);
    expect(
      screen.getByText(
        'unknown: the manifests Argo CD renders (Jsonnet or plain manifests): no rendered image is named checkout-api',
      ),
    ).toBeInTheDocument();
  });

  it('marks an Application an ApplicationSet generated', async () => {
    const cluster = mockClusterState({
      environment: 'prod',
      cluster: 'prod-eu-1',
      version: '1.4.2',
    });
    cluster.application!.applicationSet = 'guestbook';
    await renderInTestApp(<ClusterCell cluster={cluster} />);
    expect(
      screen.getByText('from ApplicationSet guestbook'),
    ).toBeInTheDocument();
  });

  it('shows no ApplicationSet mark for an Application of its own', async () => {
    const cluster = mockClusterState({
      environment: 'prod',
      cluster: 'prod-eu-1',
      version: '1.4.2',
    });
    await renderInTestApp(<ClusterCell cluster={cluster} />);
    expect(screen.queryByText(/from ApplicationSet/)).toBeNull();
  });

  it('shows a chart range with the version Argo CD resolved it to', async () => {
    const cluster = mockClusterState({
      environment: 'prod',
      cluster: 'prod-eu-1',
      liveVersion: '4.11.3',
      desiredVersion: '4.11.*',
      source: {
        path: 'ingress-nginx',
        ref: '4.11.*',
        locator: { type: 'chart-revision' },
      },
    });
    await renderInTestApp(<ClusterCell cluster={cluster} />);
    expect(screen.getByText('4.11.* (resolved: 4.11.3)')).toBeInTheDocument();
  });
});
