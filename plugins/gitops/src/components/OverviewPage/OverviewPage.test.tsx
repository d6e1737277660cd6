import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import {
  OverviewQuery,
  PromotionRequest,
  PromotionResult,
} from '@backstage-gitops/plugin-gitops-common';
import { mockGitopsApi } from '../../__testUtils__/renderGitops';
import { renderOverview } from '../../__testUtils__/renderOverview';
import {
  overviewEnvironment,
  overviewPage,
  overviewRow,
  readyToProd,
} from '../../__testUtils__/overview';
import { storefrontWebState } from '../../__testUtils__/states';

jest.setTimeout(30_000);

const minutesAgo = (minutes: number) =>
  new Date(Date.now() - minutes * 60_000).toISOString();

const services = [
  overviewRow('checkout-api', {
    title: 'Checkout API',
    environments: [
      overviewEnvironment('dev', '2.3.0'),
      overviewEnvironment('prod', '2.3.0', {
        sync: 'OutOfSync',
        driftedResources: 2,
        driftedSince: minutesAgo(20),
      }),
    ],
  }),
  overviewRow('payments-worker', {
    environments: [
      overviewEnvironment('prod', '0.9.1', {
        version: undefined,
        versions: ['0.9.1', '0.8.4'],
        skew: true,
        health: 'Unknown',
        unknownClusters: 1,
      }),
    ],
    errors: [
      {
        source: 'instance:edge',
        kind: 'unreachable',
        message: 'connect ECONNREFUSED',
      },
    ],
  }),
  overviewRow('storefront-web'),
];

function row(name: string) {
  const cell = screen.getByRole('rowheader', { name: new RegExp(name) });
  return cell.closest('[role="row"]') as HTMLElement;
}

function lastQuery(api: ReturnType<typeof mockGitopsApi>): OverviewQuery {
  const calls = api.getOverview.mock.calls;
  return calls[calls.length - 1][0] as OverviewQuery;
}

describe('OverviewPage', () => {
  it('lists services per environment: version, lag, drift age, skew, unknown clusters and row errors', async () => {
    const api = mockGitopsApi({
      getOverview: jest.fn(async () => overviewPage(services)),
    });
    await renderOverview(api);

    const checkout = await screen.findByRole('link', { name: 'Checkout API' });
    expect(checkout).toHaveAttribute(
      'href',
      '/catalog/default/component/checkout-api/gitops',
    );
    expect(screen.getAllByRole('columnheader').map(h => h.textContent)).toEqual(
      ['Service', 'Development', 'Staging', 'Production'],
    );
    expect(row('Checkout API')).toHaveTextContent(
      /2 resources drifted, first seen 20 minutes ago/,
    );
    expect(row('Checkout API')).toHaveTextContent(/not deployed/);
    const payments = row('payments-worker');
    expect(payments).toHaveTextContent('skew: 0.9.1, 0.8.4');
    expect(payments).toHaveTextContent('1 cluster unknown');
    expect(payments).toHaveTextContent(
      '1 source failed: instance:edge: connect ECONNREFUSED',
    );
    expect(row('storefront-web')).toHaveTextContent(
      '2 versions behind Staging',
    );
  });

  it('turns "owned by me" on when the user owns a service, and off when not', async () => {
    const owns = mockGitopsApi({
      getOverview: jest.fn(async () => overviewPage(services)),
    });
    const { unmount } = await renderOverview(owns);
    await screen.findByRole('link', { name: 'Checkout API' });
    expect(owns.getOverview).toHaveBeenCalledWith({
      ownedByMe: true,
      limit: 1,
    });
    expect(lastQuery(owns).ownedByMe).toBe(true);
    expect(
      screen.getByRole('switch', { name: 'Owned by me or my groups' }),
    ).toBeChecked();
    unmount();

    const ownsNothing = mockGitopsApi({
      getOverview: jest.fn(async (query?: OverviewQuery) =>
        overviewPage(query?.ownedByMe ? [] : services),
      ),
    });
    await renderOverview(ownsNothing);
    await screen.findByRole('link', { name: 'Checkout API' });
    expect(lastQuery(ownsNothing).ownedByMe).toBe(false);
    expect(
      screen.getByRole('switch', { name: 'Owned by me or my groups' }),
    ).not.toBeChecked();
  });

  it('reads the filters from the URL and writes changed ones back, from the first page', async () => {
    const api = mockGitopsApi({
      getOverview: jest.fn(async () => overviewPage(services)),
    });
    await renderOverview(
      api,
      '/gitops?mine=false&owner=group%3Adefault%2Fteam-a&owner=group%3Adefault%2Fteam-b&sort=drifted-longest&cursor=c2',
    );
    await screen.findByRole('link', { name: 'Checkout API' });
    expect(api.getOverview).not.toHaveBeenCalledWith({
      ownedByMe: true,
      limit: 1,
    });
    expect(lastQuery(api)).toEqual(
      expect.objectContaining({
        ownedByMe: false,
        owner: ['group:default/team-a', 'group:default/team-b'],
        sort: 'drifted-longest',
        cursor: 'c2',
        drifted: false,
      }),
    );

    await userEvent.click(screen.getByRole('switch', { name: 'Drifted' }));
    await waitFor(() =>
      expect(lastQuery(api)).toEqual(
        expect.objectContaining({ drifted: true, cursor: undefined }),
      ),
    );
    expect(screen.getByTestId('location').textContent).toBe(
      '?mine=false&owner=group%3Adefault%2Fteam-a&owner=group%3Adefault%2Fteam-b&drifted=true&sort=drifted-longest',
    );

    await userEvent.type(screen.getByRole('searchbox'), 'pay');
    await waitFor(() =>
      expect(lastQuery(api)).toEqual(expect.objectContaining({ q: 'pay' })),
    );
  });

  it('pages with the cursor of the response and goes back', async () => {
    const api = mockGitopsApi({
      getOverview: jest.fn(async (query?: OverviewQuery) =>
        query?.cursor
          ? overviewPage([services[2]], { totalItems: 3 })
          : overviewPage(services.slice(0, 2), {
              totalItems: 3,
              nextCursor: 'next-1',
            }),
      ),
    });
    await renderOverview(api, '/gitops?mine=false');
    await screen.findByRole('link', { name: 'Checkout API' });

    await userEvent.click(screen.getByRole('button', { name: /next/i }));
    await screen.findByRole('link', { name: 'storefront-web' });
    expect(lastQuery(api).cursor).toBe('next-1');
    expect(screen.queryByRole('link', { name: 'Checkout API' })).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: /previous/i }));
    await screen.findByRole('link', { name: 'Checkout API' });
    expect(lastQuery(api).cursor).toBeUndefined();
  });

  it('shows the error with the server message', async () => {
    const api = mockGitopsApi({
      getOverview: jest.fn(async () => {
        throw new Error('The catalog could not be read');
      }),
    });
    await renderOverview(api);
    expect(
      await screen.findByText('The catalog could not be read'),
    ).toBeInTheDocument();
    expect(screen.getByText('Could not load the overview')).toBeInTheDocument();
  });
});

describe('OverviewPage, ready to promote', () => {
  const open = {
    id: 'p-9',
    entityRef: 'component:default/orders-api',
    from: 'staging',
    to: 'prod',
    version: '3.1.0',
    wave: 1,
    pullRequest: {
      url: 'https://github.example.com/acme/gitops/pull/9',
      number: 9,
      branch: 'promote/orders-api',
    },
    stage: 'open' as const,
    openedAt: minutesAgo(5),
    targets: [],
  };
  const ready = [
    overviewRow('storefront-web', { ready: [readyToProd('1.5.0')] }),
    overviewRow('checkout-api', { ready: [readyToProd('2.4.0')] }),
    overviewRow('billing-api', {
      ready: [readyToProd('5.0.0')],
      canPromote: false,
    }),
    overviewRow('search-api', { ready: [readyToProd('7.0.0', false)] }),
    overviewRow('orders-api', {
      ready: [readyToProd('3.1.0')],
      environments: [overviewEnvironment('prod', '3.0.0', { promotion: open })],
    }),
  ];

  function readyApi(overrides: Parameters<typeof mockGitopsApi>[0] = {}) {
    return mockGitopsApi({
      getOverview: jest.fn(async () => overviewPage(ready)),
      ...overrides,
    });
  }

  it('asks for ready services and shows the gates; Promote only where the user may and nothing is in flight', async () => {
    const api = readyApi();
    await renderOverview(api, '/gitops?tab=ready&mine=false');
    await screen.findByRole('link', { name: 'storefront-web' });
    expect(lastQuery(api).ready).toBe(true);

    expect(row('search-api')).toHaveTextContent(
      'Failed: freeze-window: Production is frozen until Monday',
    );
    expect(
      within(row('storefront-web')).getByRole('button', { name: /Promote/ }),
    ).toBeInTheDocument();
    expect(within(row('billing-api')).queryByRole('button')).toBeNull();
    expect(within(row('search-api')).queryByRole('button')).toBeNull();
    const orders = row('orders-api');
    expect(within(orders).queryByRole('button')).toBeNull();
    expect(
      within(orders).getByRole('link', { name: '#9 (3.1.0)' }),
    ).toHaveAttribute('href', open.pullRequest.url);
  });

  it('opens the same promote dialog as the tab, with the state loaded on press', async () => {
    const api = readyApi({
      getState: jest.fn(async () => storefrontWebState),
      promote: jest.fn(
        async (request: PromotionRequest): Promise<PromotionResult> => ({
          id: 'plan',
          outcome: 'dry-run',
          message: 'Would promote',
          pullRequests: [],
          superseded: [],
          plan: {
            entityRef: request.entityRef,
            from: request.from,
            to: request.to,
            version: '1.5.0',
            targets: ['prod-eu-1'],
            noop: false,
            gates: [],
            waves: [],
          },
        }),
      ),
    });
    await renderOverview(api, '/gitops?tab=ready&mine=false');
    await screen.findByRole('link', { name: 'storefront-web' });
    await userEvent.click(
      within(row('storefront-web')).getByRole('button', { name: /Promote/ }),
    );
    expect(
      await screen.findByRole('dialog', {
        name: 'Promote Staging to Production',
      }),
    ).toBeInTheDocument();
    expect(api.getState).toHaveBeenCalledWith(
      'component:default/storefront-web',
    );
  });

  it('promotes the selected services one PR each; a failure stays on its row and the others go on', async () => {
    const api = readyApi({
      promote: jest.fn(
        async (request: PromotionRequest): Promise<PromotionResult> => {
          if (request.entityRef.endsWith('checkout-api')) {
            throw await ResponseError.fromResponse(
              new Response(
                JSON.stringify({
                  error: {
                    name: 'ConflictError',
                    message: 'The values file changed since the plan',
                  },
                  request: { method: 'POST', url: '/api/gitops/v1/promotions' },
                  response: { statusCode: 409 },
                }),
                {
                  status: 409,
                  statusText: 'Conflict',
                  headers: { 'Content-Type': 'application/json' },
                },
              ),
            );
          }
          return {
            id: 'p-1',
            outcome: 'opened',
            message: 'Opened',
            superseded: [],
            pullRequests: [
              {
                wave: 1,
                url: 'https://github.example.com/acme/gitops/pull/12',
                number: 12,
                branch: 'promote/storefront-web',
                state: 'open',
                action: 'opened',
              },
            ],
          };
        },
      ),
    });
    await renderOverview(api, '/gitops?tab=ready&mine=false');
    await screen.findByRole('link', { name: 'storefront-web' });
    expect(
      within(row('billing-api')).getByRole('checkbox', { hidden: true }),
    ).toBeDisabled();

    await userEvent.click(within(row('storefront-web')).getByRole('checkbox'));
    await userEvent.click(within(row('checkout-api')).getByRole('checkbox'));
    await userEvent.click(
      screen.getByRole('button', { name: 'Promote 2 selected services' }),
    );

    expect(
      await within(row('storefront-web')).findByRole('link', {
        name: 'Pull request #12 (opened)',
      }),
    ).toBeInTheDocument();
    expect(
      await within(row('checkout-api')).findByText(
        'Failed: The values file changed since the plan',
      ),
    ).toBeInTheDocument();
    expect(api.promote).toHaveBeenCalledTimes(2);
    expect(api.promote).toHaveBeenCalledWith({
      entityRef: 'component:default/storefront-web',
      from: 'staging',
      to: 'prod',
      version: '1.5.0',
    });
  });
});
