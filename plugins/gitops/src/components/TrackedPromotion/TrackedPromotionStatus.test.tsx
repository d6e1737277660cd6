import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { TrackedPromotion } from '@backstage-gitops/plugin-gitops-common';
import { seriousViolations } from '../../__testUtils__/axe';
import {
  TrackedPromotionStatus,
  formatDuration,
} from './TrackedPromotionStatus';

const promotion = (overrides: Partial<TrackedPromotion>): TrackedPromotion => ({
  id: 'p1',
  entityRef: 'component:default/checkout-api',
  from: 'staging',
  to: 'prod',
  version: '1.5.0',
  wave: 1,
  pullRequest: {
    url: 'https://github.example.com/acme/payments-gitops/pull/7',
    number: 7,
    branch: 'gitops/promote/checkout-api/prod/w1',
  },
  stage: 'open',
  openedAt: '2026-12-08T10:00:00Z',
  targets: [
    {
      cluster: 'prod-eu-1',
      sync: 'Synced',
      health: 'Healthy',
      liveVersion: '1.5.0',
      done: true,
    },
    {
      cluster: 'prod-us-1',
      sync: 'OutOfSync',
      health: 'Healthy',
      liveVersion: '1.4.2',
      done: false,
    },
  ],
  ...overrides,
});

describe('TrackedPromotionStatus', () => {
  it('shows an open pull request with its checks and mergeable state, and is accessible', async () => {
    const { container } = await renderInTestApp(
      <TrackedPromotionStatus
        promotion={promotion({
          checks: { state: 'failure', total: 3, failed: 1, pending: 0 },
          mergeable: true,
          mergeableState: 'unstable',
        })}
      />,
    );
    expect(screen.getByText('Pull request open')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '#7 (1.5.0)' })).toHaveAttribute(
      'href',
      'https://github.example.com/acme/payments-gitops/pull/7',
    );
    expect(
      screen.getByText('1 of 3 checks failed · mergeable (unstable)'),
    ).toBeInTheDocument();
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('counts the targets that run the version while syncing', async () => {
    await renderInTestApp(
      <TrackedPromotionStatus
        promotion={promotion({
          stage: 'syncing',
          mergedAt: '2026-12-08T10:05:00Z',
        })}
      />,
    );
    expect(screen.getByText('Merged, syncing')).toBeInTheDocument();
    expect(
      screen.getByText('1 of 2 clusters run 1.5.0 Synced and Healthy'),
    ).toBeInTheDocument();
  });

  it('shows lead times once deployed and the reason once failed', async () => {
    await renderInTestApp(
      <>
        <TrackedPromotionStatus
          promotion={promotion({
            stage: 'deployed',
            leadTimes: {
              openedToMergedMs: 300_000,
              mergedToDeployedMs: 45_000,
            },
          })}
        />
        <TrackedPromotionStatus
          promotion={promotion({
            id: 'p2',
            stage: 'failed',
            failure:
              'prod-us-1: sync failed: one or more objects failed to apply',
          })}
        />
      </>,
    );
    expect(
      screen.getByText('Opened to merged: 5 min; merged to healthy: 45 s'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'After the merge: prod-us-1: sync failed: one or more objects failed to apply',
      ),
    ).toBeInTheDocument();
  });

  it('formats lead times', () => {
    expect(formatDuration(59_000)).toBe('59 s');
    expect(formatDuration(3_600_000 + 5 * 60_000)).toBe('1 h 5 min');
    expect(formatDuration(7_200_000)).toBe('2 h');
  });
});
