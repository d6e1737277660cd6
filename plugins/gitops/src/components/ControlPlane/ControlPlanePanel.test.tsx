import { screen, within } from '@testing-library/react';
import { ControlPlaneHealth } from '@backstage-gitops/plugin-gitops-common';
import { seriousViolations } from '../../__testUtils__/axe';
import {
  entityNamed,
  mockGitopsApi,
  renderWithEntity,
} from '../../__testUtils__/renderGitops';
import { ControlPlanePanel } from './ControlPlanePanel';

// axe walks the whole rendered tree in jsdom: slow on a loaded machine, not a product timing
jest.setTimeout(60_000);

const health: ControlPlaneHealth = {
  outOfSyncThresholdMinutes: 30,
  watchingSince: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T01:00:00.000Z',
  instances: [
    {
      name: 'core',
      type: 'kubernetes',
      state: 'ok',
      errors: [],
      lastEventAt: '2026-01-01T00:59:00.000Z',
      url: 'https://argocd-core.example',
      applications: 12,
      clusters: [
        {
          name: 'prod-eu-1',
          environment: 'prod',
          applications: 12,
          outOfSync: 2,
          degraded: 1,
          syncFailures24h: 3,
        },
      ],
      syncFailures24h: 3,
      topSyncFailureReasons: [
        { message: 'hook failed at revision <hash>', count: 2 },
        { message: 'ComparisonError: rpc error', count: 1 },
      ],
      outOfSyncLong: [
        {
          instance: 'core',
          namespace: 'argocd',
          name: 'checkout-api-prod-eu-1',
          cluster: 'prod-eu-1',
          url: 'https://argocd-core.example/applications/argocd/checkout-api-prod-eu-1',
          since: '2026-01-01T00:00:00.000Z',
          message: 'OutOfSync',
        },
      ],
      degraded: [],
    },
    {
      name: 'edge',
      type: 'argocd',
      state: 'error',
      errors: [
        {
          source: 'instance:edge',
          kind: 'unreachable',
          message: 'connect ECONNREFUSED',
        },
      ],
      applications: 0,
      clusters: [],
      syncFailures24h: 0,
      topSyncFailureReasons: [],
      outOfSyncLong: [],
      degraded: [],
    },
  ],
};

function render(getControlPlane: () => Promise<ControlPlaneHealth>) {
  return renderWithEntity(<ControlPlanePanel />, {
    entity: entityNamed('any'),
    api: mockGitopsApi({ getControlPlane: jest.fn(getControlPlane) }),
  });
}

describe('ControlPlanePanel', () => {
  it('shows each instance with its state, failures, lists and clusters, without serious axe violations', async () => {
    const { container } = await render(async () => health);
    const core = await screen
      .findByRole('article', { name: 'core' })
      .catch(() => screen.getByLabelText('core'));
    expect(within(core).getByText('Connected')).toBeInTheDocument();
    expect(within(core).getByText('Applications: 12')).toBeInTheDocument();
    expect(
      within(core).getByText('hook failed at revision <hash>'),
    ).toBeInTheDocument();
    expect(
      within(core).getByRole('link', { name: /checkout-api-prod-eu-1/ }),
    ).toHaveAttribute(
      'href',
      'https://argocd-core.example/applications/argocd/checkout-api-prod-eu-1',
    );
    expect(
      within(core).getByRole('link', { name: 'Open Argo CD' }),
    ).toHaveAttribute('href', 'https://argocd-core.example');
    expect(
      within(core).getByText('OutOfSync longer than 30 minutes (1)'),
    ).toBeInTheDocument();

    const edge = screen.getByLabelText('edge');
    expect(within(edge).getByText('Failing')).toBeInTheDocument();
    expect(within(edge).getByText(/connect ECONNREFUSED/)).toBeInTheDocument();
    expect(
      within(edge).getByText('No sync failed in the last 24 hours.'),
    ).toBeInTheDocument();

    expect(await seriousViolations(container)).toEqual([]);
  });

  it('says why when the caller may not read it', async () => {
    await render(async () => {
      throw new Error(
        'You may not read the control-plane health of the Argo CD instances (permission gitops.controlplane.read)',
      );
    });
    expect(
      await screen.findByText(
        /Could not load the control-plane health: You may not read .*gitops\.controlplane\.read/,
      ),
    ).toBeInTheDocument();
  });

  it('says so when no instance is configured', async () => {
    await render(async () => ({ ...health, instances: [] }));
    expect(
      await screen.findByText(
        'No Argo CD instance is configured (gitops.instances).',
      ),
    ).toBeInTheDocument();
  });
});
