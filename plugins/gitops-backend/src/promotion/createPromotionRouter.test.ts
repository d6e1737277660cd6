import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { readGitopsConfig } from '@backstage-gitops/plugin-gitops-node';
import express from 'express';
import request from 'supertest';
import { PromotionAuditor } from '../audit/PromotionAuditor';
import { PromotionAuditStore } from '../audit/PromotionAuditStore';
import { createPromotionRouter } from './createPromotionRouter';
import { PullRequestReader } from '../tracking/PullRequestReader';
import { PromotionService } from './PromotionService';
import { promotionUnavailableReason } from './promotionUnavailableReason';
import {
  auditRecord,
  checkoutApiState,
  fakeRepo,
} from './__testUtils__/fakeGitops';
import {
  checkoutApiCatalog,
  testOwnership,
} from './__testUtils__/testPromotionService';

const VALUES =
  '# prod\nimage:\n  repository: ghcr.io/acme/checkout-api\n  tag: 1.4.2 # pinned\n';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** The portal's config; the permission framework is on unless `permissionsEnabled` is false. */
function portalConfig(
  options: {
    permissionsEnabled?: boolean;
    allowWithoutPermissions?: boolean;
  } = {},
) {
  return new ConfigReader({
    app: { baseUrl: 'http://portal.example' },
    permission: { enabled: options.permissionsEnabled ?? true },
    gitops: {
      environments: [
        { name: 'dev', clusters: ['dev-1'] },
        { name: 'staging', clusters: ['staging-1'] },
        { name: 'prod', clusters: ['prod-eu-1', 'prod-us-1'] },
      ],
      clusters: ['dev-1', 'staging-1', 'prod-eu-1', 'prod-us-1'].map(name => ({
        name,
      })),
      promotion: {
        labels: ['promotion'],
        ...(options.allowWithoutPermissions !== undefined && {
          allowWithoutPermissions: options.allowWithoutPermissions,
        }),
      },
    },
  });
}

/**
 * `allow: false` denies everyone the promote permission; `deny` names one user denied it; the
 * rest is the portal's config.
 */
async function setup(
  options: {
    allow?: boolean;
    deny?: string;
  } & Parameters<typeof portalConfig>[0] = {},
) {
  const config = portalConfig(options);
  const promotionConfig = readGitopsConfig(config).promotion;
  const repo = fakeRepo({ 'apps/checkout-api/envs/prod/values.yaml': VALUES });
  const knex = await databases.init('SQLITE_3');
  const audit = await PromotionAuditStore.create({
    getClient: async () => knex,
  });
  const permissions = mockServices.permissions.mock({
    authorize: jest.fn(async (requests, { credentials }) =>
      requests.map((r: { permission: { name: string } }) => ({
        result:
          (options.allow === false ||
            credentials.principal.userEntityRef === options.deny) &&
          r.permission.name === 'gitops.entity.promote'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
    ) as any,
  });
  const catalog = checkoutApiCatalog();
  const state = checkoutApiState();
  const auditor = mockServices.auditor.mock();
  const promotions = new PromotionService({
    catalog,
    ownership: testOwnership(catalog),
    permissions,
    state: {
      getState: async () => state,
      getHistory: async (_entity, environment) => ({
        entityRef: state.entityRef,
        environment,
        entries: [],
        errors: [],
      }),
    },
    github: { forRepo: async () => repo.client },
    pullRequests: new PullRequestReader({
      github: { forRepo: async () => repo.client },
      maxReads: 20,
      ttlMs: 0,
    }),
    config: promotionConfig,
    unavailable: promotionUnavailableReason(config, promotionConfig),
    audit,
    auditor: new PromotionAuditor({
      auditor,
      store: audit,
      logger: mockServices.logger.mock(),
    }),
    logger: mockServices.logger.mock(),
  });
  const app = express()
    .use(express.json())
    .use(
      createPromotionRouter({
        promotions,
        catalog,
        permissions,
        httpAuth: mockServices.httpAuth({
          defaultCredentials: mockCredentials.user('user:default/jane'),
        }),
      }),
    )
    .use(
      MiddlewareFactory.create({
        config,
        logger: mockServices.logger.mock(),
      }).error(),
    );
  return { app, repo, audit, auditor };
}

const body = {
  entityRef: 'component:default/checkout-api',
  from: 'staging',
  to: 'prod',
};

describe('POST /v1/promotions', () => {
  it('returns the plan of a dry run and writes nothing', async () => {
    const { app, repo } = await setup();
    const res = await request(app)
      .post('/v1/promotions')
      .send({ ...body, dryRun: true });

    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe('dry-run');
    expect(res.body.plan.waves[0].edits[0].diff).toContain(
      '+  tag: 1.5.0 # pinned',
    );
    expect(res.body.plan.actor).toBe('user:default/jane');
    expect(repo.counts.writes).toBe(0);
  });

  it('opens a pull request (201) and lists the attempts newest first, without dry runs', async () => {
    const { app, repo, auditor } = await setup();
    await request(app)
      .post('/v1/promotions')
      .send({ ...body, dryRun: true });
    const res = await request(app).post('/v1/promotions').send(body);

    expect(res.status).toBe(201);
    expect(res.body.outcome).toBe('opened');
    expect(repo.pulls).toHaveLength(1);
    expect(repo.pulls[0].body).toContain(
      'http://portal.example/catalog/default/component/checkout-api/gitops',
    );

    const list = await request(app)
      .get('/v1/promotions')
      .query({ entityRef: body.entityRef });
    expect(list.status).toBe(200);
    expect(list.body.items.map((i: { outcome: string }) => i.outcome)).toEqual([
      'opened',
    ]);
    expect(list.body.items[0]).toMatchObject({
      actor: 'user:default/jane',
      version: '1.5.0',
      targets: ['prod-eu-1', 'prod-us-1'],
      pullRequests: [
        expect.objectContaining({ number: 1, action: 'opened', state: 'open' }),
      ],
    });
    expect(list.body.errors).toEqual([]);

    // both are events of the auditor service, the dry run at low severity
    expect(auditor.createEvent.mock.calls.map(([e]) => e)).toEqual([
      expect.objectContaining({
        eventId: 'promote',
        severityLevel: 'low',
        meta: expect.objectContaining({ dryRun: true }),
      }),
      expect.objectContaining({
        eventId: 'promote',
        severityLevel: 'medium',
        request: expect.objectContaining({ method: 'POST' }),
        meta: expect.objectContaining({
          dryRun: false,
          actor: 'user:default/jane',
          entityRef: body.entityRef,
        }),
      }),
    ]);
    const opened = await auditor.createEvent.mock.results[1].value;
    expect(opened.success).toHaveBeenCalledWith({
      meta: expect.objectContaining({
        outcome: 'opened',
        pullRequests: [expect.stringMatching(/pull\/1$/)],
      }),
    });
  });

  it('answers 403 for a user who may not promote, and sends the denial to the auditor service only', async () => {
    const { app, repo, auditor } = await setup({ allow: false });
    const res = await request(app)
      .post('/v1/promotions')
      .send({ ...body, dryRun: true });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(
      /may not promote component:default\/checkout-api/,
    );
    expect(repo.counts.reads + repo.counts.writes).toBe(0);
    const list = await request(app)
      .get('/v1/promotions')
      .query({ entityRef: body.entityRef });
    expect(list.body.items).toEqual([]);
    expect(auditor.createEvent).toHaveBeenCalledTimes(1);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'promote-denied',
        meta: expect.objectContaining({ actor: 'user:default/jane' }),
      }),
    );
    const denied = await auditor.createEvent.mock.results[0].value;
    expect(denied.fail).toHaveBeenCalledWith({
      error: expect.objectContaining({
        name: 'NotAllowedError',
        message: expect.stringMatching(/may not promote/),
      }),
    });
  });

  it('refuses (403) every promotion while the permission framework is disabled, saying which config allows it', async () => {
    const { app, repo, auditor } = await setup({ permissionsEnabled: false });
    const res = await request(app).post('/v1/promotions').send(body);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'Promotion is off because the permission framework is disabled, which would let every signed-in user promote every entity. Set permission.enabled: true with a permission policy, or set gitops.promotion.allowWithoutPermissions: true to accept promotions without permission checks',
    );
    expect(repo.counts.reads + repo.counts.writes).toBe(0);
    expect(auditor.createEvent).toHaveBeenCalledWith(
      expect.objectContaining({
        eventId: 'promote-denied',
        meta: expect.objectContaining({ entityRef: body.entityRef }),
      }),
    );
    const denied = await auditor.createEvent.mock.results[0].value;
    expect(denied.fail).toHaveBeenCalledWith({
      error: expect.objectContaining({
        message: expect.stringContaining(
          'gitops.promotion.allowWithoutPermissions: true',
        ),
      }),
    });
  });

  it('promotes without the permission framework when gitops.promotion.allowWithoutPermissions is true', async () => {
    const { app, repo } = await setup({
      permissionsEnabled: false,
      allowWithoutPermissions: true,
    });
    const res = await request(app).post('/v1/promotions').send(body);
    expect(res.status).toBe(201);
    expect(res.body.outcome).toBe('opened');
    expect(repo.pulls).toHaveLength(1);
  });

  it('keeps real attempts on the first page when a denied user tries 30 times', async () => {
    const mallory = 'user:default/mallory';
    const { app, audit, auditor } = await setup({ deny: mallory });
    for (let n = 1; n <= 25; n++) {
      await audit.record(
        auditRecord(
          `r${n}`,
          { number: n, state: 'merged' },
          new Date(Date.UTC(2025, 5, 4, 10, n)).toISOString(),
        ),
      );
    }
    for (let i = 0; i < 30; i++) {
      const denied = await request(app)
        .post('/v1/promotions')
        .set('Authorization', mockCredentials.user.header(mallory))
        .send(body);
      expect(denied.status).toBe(403);
    }

    const list = await request(app)
      .get('/v1/promotions')
      .query({ entityRef: body.entityRef });

    expect(list.body.items).toHaveLength(25);
    expect(list.body.items.map((i: { id: string }) => i.id)).toEqual(
      Array.from({ length: 25 }, (_, i) => `r${25 - i}`),
    );
    // rate-limited: 5 denials of one user on one entity per minute reach the auditor
    expect(
      auditor.createEvent.mock.calls.filter(
        ([e]) => e.eventId === 'promote-denied',
      ),
    ).toHaveLength(5);
  });

  it.each([
    [
      { ...body, entityRef: 'component:default/nope' },
      404,
      /No entity component:default\/nope/,
    ],
    [{ ...body, to: 'qa' }, 400, /Unknown environment "qa"/],
    [{ ...body, to: '../prod' }, 400, /to: must be a lowercase name/],
    [
      { ...body, entityRef: 'component:default/../../etc' },
      400,
      /entityRef: must be an entity reference/,
    ],
    [{ ...body, version: '1.5.0\nreplicaCount: 0' }, 400, /Invalid version/],
    [
      { ...body, version: 'x'.repeat(300) },
      400,
      /version: String must contain at most/,
    ],
    [{ ...body, targets: ['prod-ap-1'] }, 400, /Unknown target cluster/],
    [{ ...body, extra: 1 }, 400, /Unrecognized key/],
    [{ ...body, version: '9.9.9' }, 409, /neither the history/],
  ])('refuses %j with %i', async (payload, status, message) => {
    const { app, repo } = await setup();
    const res = await request(app).post('/v1/promotions').send(payload);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(repo.counts.writes).toBe(0);
  });

  it('requires entityRef to list promotions', async () => {
    const { app } = await setup();
    const res = await request(app).get('/v1/promotions');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/entityRef is required/);
  });
});

describe('GET /v1/promotions', () => {
  const list = (app: express.Express) =>
    request(app).get('/v1/promotions').query({ entityRef: body.entityRef });

  it('shows a pull request merged since the attempt, and stores it', async () => {
    const { app, repo } = await setup();
    await request(app).post('/v1/promotions').send(body);
    repo.pulls[0].state = 'merged';

    const res = await list(app);

    expect(res.status).toBe(200);
    expect(res.body.items[0].pullRequests[0].state).toBe('merged');
    expect(res.body.errors).toEqual([]);

    // stored: the next listing does not read it again
    const reads = repo.counts.reads;
    const again = await list(app);
    expect(again.body.items[0].pullRequests[0].state).toBe('merged');
    expect(repo.counts.reads).toBe(reads);
  });

  it('updates every attempt of a pull request closed since', async () => {
    const { app, repo, audit } = await setup();
    repo.pulls.push({
      number: 1,
      branch: 'gitops/promote/checkout-api/prod',
      title: 't',
      body: '',
      state: 'closed',
    });
    await audit.record(auditRecord('a', { number: 1, state: 'open' }));
    await audit.record(
      auditRecord('b', { number: 1, state: 'open' }, '2025-06-04T11:00:00Z'),
    );

    const res = await list(app);

    expect(
      res.body.items.map(
        (i: { pullRequests: Array<{ state: string }> }) =>
          i.pullRequests[0].state,
      ),
    ).toEqual(['closed', 'closed']);
    expect(
      (await audit.list(body.entityRef, { limit: 10 })).map(
        i => i.pullRequests[0].state,
      ),
    ).toEqual(['closed', 'closed']);
  });

  it('keeps the stored state and reports the failure when GitHub cannot be read', async () => {
    const { app, repo } = await setup();
    await request(app).post('/v1/promotions').send(body);
    repo.pulls[0].state = 'merged';
    repo.client.getPullRequest = async () => {
      throw Object.assign(new Error('Resource not accessible by integration'), {
        status: 403,
      });
    };

    const res = await list(app);

    expect(res.status).toBe(200);
    expect(res.body.items[0].pullRequests[0].state).toBe('open');
    expect(res.body.errors).toEqual([
      {
        source: 'git:acme/payments-gitops',
        kind: 'forbidden',
        message: expect.stringContaining(
          'pull request http://github.example/acme/payments-gitops/pull/1',
        ),
      },
    ]);
  });

  it('reads at most 20 pull requests per listing, the newest first', async () => {
    const { app, repo, audit } = await setup();
    let inFlight = 0;
    let maxInFlight = 0;
    const read: number[] = [];
    repo.client.getPullRequest = async number => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise(resolve => setTimeout(resolve, 5));
      inFlight--;
      read.push(number);
      return { state: 'merged', headSha: 'e'.repeat(40) };
    };
    for (let n = 1; n <= 25; n++) {
      await audit.record(
        auditRecord(
          `r${n}`,
          { number: n, state: 'open' },
          new Date(Date.UTC(2025, 5, 4, 10, n)).toISOString(),
        ),
      );
    }

    const res = await list(app);

    expect(read).toHaveLength(20);
    expect(Math.min(...read)).toBe(6);
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(4);
    const states = res.body.items.map(
      (i: { pullRequests: Array<{ state: string }> }) =>
        i.pullRequests[0].state,
    );
    expect(states.filter((s: string) => s === 'merged')).toHaveLength(20);
    expect(states.slice(20)).toEqual(['open', 'open', 'open', 'open', 'open']);
  });
});
