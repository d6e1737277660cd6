import { screen } from '@testing-library/react';
import { seriousViolations } from '../../__testUtils__/axe';
import { mockGitopsApi } from '../../__testUtils__/renderGitops';
import { renderOverview } from '../../__testUtils__/renderOverview';
import {
  overviewEnvironment,
  overviewPage,
  overviewRow,
  readyToProd,
} from '../../__testUtils__/overview';

// axe walks the whole rendered tree in jsdom: slow on a loaded machine, not a product timing
jest.setTimeout(60_000);

const rows = [
  overviewRow('storefront-web', { ready: [readyToProd('1.5.0')] }),
  overviewRow('billing-api', {
    canPromote: false,
    ready: [readyToProd('5.0.0', false)],
    environments: [
      overviewEnvironment('prod', '5.0.0', {
        driftedResources: 1,
        driftedSince: new Date(Date.now() - 60_000).toISOString(),
        unknownClusters: 1,
        failing: true,
      }),
    ],
    errors: [{ source: 'instance:edge', kind: 'unreachable', message: 'down' }],
  }),
];

describe('OverviewPage accessibility', () => {
  it.each(['services', 'ready'])(
    'has no serious violations on the %s tab',
    async tab => {
      const api = mockGitopsApi({
        getOverview: jest.fn(async () => overviewPage(rows)),
      });
      const { container } = await renderOverview(
        api,
        `/gitops?tab=${tab}&mine=false`,
      );
      await screen.findByRole('link', { name: 'storefront-web' });
      expect(await seriousViolations(container)).toEqual([]);
    },
  );
});
