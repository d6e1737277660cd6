import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { EnvironmentReadiness } from '@backstage-gitops/plugin-gitops-common';
import { seriousViolations } from '../../__testUtils__/axe';
import { ReadinessSection } from './ReadinessSection';

// axe walks the whole rendered tree in jsdom: slow on a loaded machine, not a product timing
jest.setTimeout(60_000);

const readiness: EnvironmentReadiness[] = [
  {
    environment: 'dev',
    checks: [],
    reason: 'no Application of this service lands in this environment',
    counts: { pass: 0, fail: 0, unknown: 0 },
  },
  {
    environment: 'prod',
    checks: [
      {
        id: 'project',
        title: 'Argo CD project other than default',
        result: 'pass',
        reason: 'in project payments',
        severity: 'error',
        howToFix: 'Move the Application into the team project',
      },
      {
        id: 'image-tag',
        title: 'Immutable image tag',
        result: 'fail',
        reason: 'image.tag is latest, a moving tag',
        severity: 'error',
        howToFix: 'Set the image tag to a version',
      },
      {
        id: 'network-policy',
        title: 'A NetworkPolicy is rendered',
        result: 'unknown',
        reason: 'instance core is read through Kubernetes',
        severity: 'warning',
        howToFix: 'Render a NetworkPolicy',
      },
    ],
    counts: { pass: 1, fail: 1, unknown: 1 },
  },
];

const environments = ['dev', 'prod'].map(name => ({
  name,
  title: name === 'dev' ? 'Development' : 'Production',
  clusters: [],
  versions: [],
  skew: false,
  health: 'Healthy' as const,
  sync: 'Synced' as const,
}));

describe('ReadinessSection', () => {
  it('lists failing and unknown checks first, with what was found and how to fix them', async () => {
    await renderInTestApp(
      <ReadinessSection readiness={readiness} environments={environments} />,
    );
    expect(
      await screen.findByRole('heading', { name: 'Readiness', level: 2 }),
    ).toBeInTheDocument();
    await screen.findAllByRole('row');
    expect(
      screen.getByText(
        'no Application of this service lands in this environment',
      ),
    ).toBeInTheDocument();
    // prod has a failing check, so it is open
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map(r => r.textContent)).toEqual([
      expect.stringMatching(/^Immutable image tag.*Fail.*image.tag is latest/),
      expect.stringMatching(/^A NetworkPolicy is rendered.*Unknown/),
      expect.stringMatching(/^Argo CD project other than default.*Pass/),
    ]);
    expect(
      screen.getByText('How to fix: Set the image tag to a version'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(
        'How to fix: Move the Application into the team project',
      ),
    ).not.toBeInTheDocument();
    expect(
      screen.getByText('1 failing, 1 unknown, 1 passing'),
    ).toBeInTheDocument();
  });

  it('renders nothing without readiness', async () => {
    await renderInTestApp(
      <div data-testid="host">
        <ReadinessSection environments={environments} />
      </div>,
    );
    expect(screen.getByTestId('host')).toBeEmptyDOMElement();
  });

  it('has no serious accessibility violations, closed or open', async () => {
    const { container } = await renderInTestApp(
      <ReadinessSection
        readiness={readiness.map(r => ({
          ...r,
          counts: { ...r.counts, fail: 0 },
        }))}
        environments={environments}
      />,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: /Production/ }),
    );
    await screen.findAllByRole('row');
    expect(await seriousViolations(container)).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: /Development/ }));
    expect(await seriousViolations(container)).toEqual([]);
  });
});
