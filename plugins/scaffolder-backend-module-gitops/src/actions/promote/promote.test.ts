import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { GitopsPromotionClient } from '@backstage-gitops/plugin-gitops-node';
import { PromotionResult } from '@backstage-gitops/plugin-gitops-common';
import { mockPromotionPlan } from '@backstage-gitops/plugin-gitops-common/testUtils';
import { createGitopsPromoteAction } from './promote';

const opened: PromotionResult = {
  id: 'p-1',
  outcome: 'opened',
  message:
    'Opened pull request #7 promoting 1.5.0 to prod (prod-eu-1, prod-us-1)',
  pullRequests: [
    {
      wave: 0,
      url: 'http://localhost:7480/acme/web-gitops/pull/7',
      number: 7,
      branch: 'gitops/promote/storefront-web/prod',
      state: 'open',
      action: 'opened',
    },
  ],
  superseded: [],
  plan: mockPromotionPlan({
    service: 'storefront-web',
    repoUrl: 'http://localhost:7480/acme/web-gitops.git',
  }),
};

function setup(result: PromotionResult = opened) {
  const fetch = jest.fn(
    async (_url: string, _init?: RequestInit) =>
      new Response(JSON.stringify(result), {
        status: 201,
        headers: { 'content-type': 'application/json' },
      }),
  );
  const client = new GitopsPromotionClient({
    discovery: mockServices.discovery(),
    auth: mockServices.auth(),
    fetch: fetch as unknown as typeof globalThis.fetch,
  });
  return { fetch, action: createGitopsPromoteAction({ client }) };
}

const input = {
  entityRef: 'component:default/storefront-web',
  from: 'staging',
  to: 'prod',
};

describe('gitops:promote', () => {
  it('calls the gitops backend on behalf of the initiator and outputs the pull request', async () => {
    const { fetch, action } = setup();
    const checkpoint = jest.fn(
      async ({ fn }: { key: string; fn: () => Promise<any> }) => fn(),
    );
    const ctx = {
      ...createMockActionContext({ input }),
      checkpoint,
      getInitiatorCredentials: async () =>
        mockCredentials.user('user:default/jane'),
    } as ReturnType<typeof createMockActionContext>;

    await action.handler(ctx as any);

    expect(checkpoint).toHaveBeenCalledWith(
      expect.objectContaining({
        key: 'gitops-promote:component:default/storefront-web:staging:prod:source:',
      }),
    );
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('http://localhost:0/api/gitops/v1/promotions');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({ ...input, dryRun: false });
    expect(
      String((init?.headers as Record<string, string>).Authorization),
    ).toMatch(/^Bearer .*user:default\/jane/);
    expect(ctx.output).toHaveBeenCalledWith('outcome', 'opened');
    expect(ctx.output).toHaveBeenCalledWith(
      'pullRequestUrl',
      'http://localhost:7480/acme/web-gitops/pull/7',
    );
    expect(ctx.output).toHaveBeenCalledWith('pullRequestNumber', 7);
    expect(ctx.output).toHaveBeenCalledWith(
      'diff',
      '-  tag: 1.4.2\n+  tag: 1.5.0\n',
    );
  });

  it('pins the files of a dry run and outputs the blob shas to pin', async () => {
    const { fetch, action } = setup();
    const [edit] = opened.plan!.waves[0].edits;
    const expectedBlobShas = { [edit.path]: 'a'.repeat(40) };
    const checkpoint = jest.fn(
      async ({ fn }: { key: string; fn: () => Promise<any> }) => fn(),
    );
    const ctx = {
      ...createMockActionContext({ input: { ...input, expectedBlobShas } }),
      checkpoint,
    } as ReturnType<typeof createMockActionContext>;

    await action.handler(ctx as any);

    expect(JSON.parse(String(fetch.mock.calls[0][1]?.body))).toEqual({
      ...input,
      dryRun: false,
      expectedBlobShas,
    });
    // a retry with other pins is another promotion
    expect(checkpoint.mock.calls[0][0].key).toMatch(
      /^gitops-promote:component:default\/storefront-web:staging:prod:source::[0-9a-f]{12}$/,
    );
    expect(ctx.output).toHaveBeenCalledWith('blobShas', {
      [edit.path]: edit.blobSha,
    });
  });

  it('fails with the backend 409 when a pinned file changed since the dry run', async () => {
    const message =
      'apps/storefront-web/envs/prod/values.yaml changed since the plan (blob aaaaaaa, now bbbbbbb); review the new diff and promote again';
    const fetch = jest.fn(
      async () =>
        new Response(
          JSON.stringify({
            error: { name: 'ConflictError', message },
            request: { method: 'POST', url: '/v1/promotions' },
            response: { statusCode: 409 },
          }),
          { status: 409, headers: { 'content-type': 'application/json' } },
        ),
    );
    const action = createGitopsPromoteAction({
      client: new GitopsPromotionClient({
        discovery: mockServices.discovery(),
        auth: mockServices.auth(),
        fetch: fetch as unknown as typeof globalThis.fetch,
      }),
    });
    const ctx = createMockActionContext({
      input: {
        ...input,
        expectedBlobShas: {
          'apps/storefront-web/envs/prod/values.yaml': 'a'.repeat(40),
        },
      },
    });

    await expect(action.handler(ctx)).rejects.toMatchObject({
      statusCode: 409,
      cause: expect.objectContaining({ name: 'ConflictError' }),
      message: expect.stringContaining(
        'apps/storefront-web/envs/prod/values.yaml changed since the plan',
      ),
    });
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('only plans in a scaffolder dry run', async () => {
    const { fetch, action } = setup({
      ...opened,
      outcome: 'dry-run',
      pullRequests: [],
    });
    const ctx = { ...createMockActionContext({ input }), isDryRun: true };

    await action.handler(ctx as any);

    expect(JSON.parse(String(fetch.mock.calls[0][1]?.body)).dryRun).toBe(true);
    expect(ctx.output).toHaveBeenCalledWith('outcome', 'dry-run');
    expect(ctx.output).not.toHaveBeenCalledWith(
      'pullRequestUrl',
      expect.anything(),
    );
  });

  it('fails with the backend message when a gate blocks', async () => {
    const fetch = jest.fn(
      async () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'ConflictError',
              message: 'Not promoted: prod is frozen',
            },
            request: { method: 'POST', url: '/v1/promotions' },
            response: { statusCode: 409 },
          }),
          { status: 409, headers: { 'content-type': 'application/json' } },
        ),
    );
    const action = createGitopsPromoteAction({
      client: new GitopsPromotionClient({
        discovery: mockServices.discovery(),
        auth: mockServices.auth(),
        fetch: fetch as unknown as typeof globalThis.fetch,
      }),
    });
    await expect(
      action.handler(createMockActionContext({ input })),
    ).rejects.toThrow(/prod is frozen/);
  });
});
