import { ResponseError } from '@backstage/errors';
import { GitopsClient } from './GitopsClient';

function jsonResponse(status: number, body: unknown) {
  return {
    ok: status < 400,
    status,
    statusText: status < 400 ? 'OK' : 'Bad Request',
    url: '',
    redirected: false,
    type: 'basic',
    headers: {
      get: (name: string) =>
        name.toLowerCase() === 'content-type' ? 'application/json' : null,
    },
    json: async () => body,
    text: async () => JSON.stringify(body),
  } as unknown as Response;
}

describe('GitopsClient', () => {
  const discoveryApi = {
    getBaseUrl: jest.fn(async (id: string) => `http://backend/api/${id}`),
  };
  const fetch = jest.fn();
  const client = new GitopsClient({ discoveryApi, fetchApi: { fetch } });

  beforeEach(() => fetch.mockReset());

  it('reads the state of an entity by kind, namespace and name', async () => {
    fetch.mockResolvedValue(jsonResponse(200, { status: 'ok' }));
    await expect(
      client.getState('component:default/checkout-api'),
    ).resolves.toEqual({ status: 'ok' });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/gitops/v1/state/component/default/checkout-api',
      undefined,
    );
  });

  it('asks for the history of one environment, encoding the names', async () => {
    fetch.mockResolvedValue(jsonResponse(200, { entries: [] }));
    await client.getHistory('component:team a/web', 'prod eu');
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/gitops/v1/history/component/team%20a/web?environment=prod+eu',
      undefined,
    );
  });

  it('posts promotions as JSON', async () => {
    fetch.mockResolvedValue(jsonResponse(200, { outcome: 'dry-run' }));
    const request = {
      entityRef: 'component:default/storefront-web',
      from: 'staging',
      to: 'prod',
      dryRun: true,
    };
    await client.promote(request);
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/gitops/v1/promotions',
      expect.objectContaining({
        method: 'POST',
        body: JSON.stringify(request),
      }),
    );
  });

  it('lists the promotions of an entity as items with the errors beside them', async () => {
    const body = {
      items: [
        {
          id: 'p-1',
          entityRef: 'component:default/storefront-web',
          actor: 'user:default/jane',
          from: 'staging',
          to: 'prod',
          version: '1.5.0',
          targets: [],
          gates: [],
          pullRequests: [],
          outcome: 'opened',
          message: 'Opened pull request #42',
          createdAt: '2030-01-01T00:00:00.000Z',
        },
      ],
      errors: [
        {
          source: 'git:acme/web-gitops',
          kind: 'unreachable',
          message: 'GitHub did not answer',
        },
      ],
    };
    fetch.mockResolvedValue(jsonResponse(200, body));

    const list = await client.listPromotions(
      'component:default/storefront-web',
    );

    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/gitops/v1/promotions?entityRef=component%3Adefault%2Fstorefront-web',
      undefined,
    );
    expect(list.items.map(item => item.id)).toEqual(['p-1']);
    expect(list.errors).toEqual(body.errors);
  });

  it('reads the overview with repeatable params and only the flags that are set', async () => {
    fetch.mockResolvedValue(jsonResponse(200, { items: [] }));
    await client.getOverview({
      ownedByMe: true,
      owner: ['group:default/payments', 'group:default/web'],
      system: [],
      drifted: false,
      ready: true,
      q: 'check out',
      sort: 'drifted-longest',
      cursor: 'abc=',
      limit: 25,
    });
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/gitops/v1/overview?ownedByMe=true&owner=group%3Adefault%2Fpayments&owner=group%3Adefault%2Fweb&ready=true&q=check+out&sort=drifted-longest&cursor=abc%3D&limit=25',
      undefined,
    );
  });

  it('reads the overview without a query string when nothing is filtered', async () => {
    fetch.mockResolvedValue(jsonResponse(200, { items: [] }));
    await client.getOverview();
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/gitops/v1/overview',
      undefined,
    );
  });

  it('turns error responses into ResponseErrors carrying the server message', async () => {
    fetch.mockResolvedValue(
      jsonResponse(400, {
        error: { name: 'InputError', message: 'Unknown environment "qa"' },
        response: { statusCode: 400 },
      }),
    );
    const error = await client
      .promote({ entityRef: 'component:default/x', from: 'qa', to: 'prod' })
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(400);
    expect(error.cause.message).toBe('Unknown environment "qa"');
  });
});
