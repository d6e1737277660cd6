import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { SourceError } from '@backstage-gitops/plugin-gitops-common';
import { readGitopsConfig } from '@backstage-gitops/plugin-gitops-node';
import express from 'express';
import request from 'supertest';
import { PromotionAuditStore } from '../audit/PromotionAuditStore';
import { readEntityQuery } from '../entities/entityQuery';
import { PromotionAuditor } from '../audit/PromotionAuditor';
import { createPromotionRouter } from './createPromotionRouter';
import { PullRequestReader } from '../tracking/PullRequestReader';
import { PromotionService } from './PromotionService';
import { registerPromoteAction } from './registerPromoteAction';
import { checkoutApiState, fakeRepo } from './__testUtils__/fakeGitops';
import {
  paymentsGroup,
  testOwnership,
  testPromotionConfig,
} from './__testUtils__/testPromotionService';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const VALUES =
  'image:\n  repository: ghcr.io/acme/checkout-api\n  tag: 1.4.2\n';

function group(name: string, repoUrl?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      namespace: 'default',
      annotations: repoUrl ? { 'gitops/repo-url': repoUrl } : {},
    },
    spec: { type: 'team', children: [] },
  };
}

function component(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      // the audit's attack: a new entity annotated with another team's selector
      annotations: {
        'argocd/app-selector': 'app.kubernetes.io/name=checkout-api',
      },
    },
    spec: { owner, type: 'service', lifecycle: 'production' },
  };
}

const entities = [
  paymentsGroup,
  group('team-new', 'https://github.example/acme/new-gitops'),
  group('team-legacy'),
  component('checkout-api', 'group:default/payments'),
  component('intruder', 'team-new'),
  component('legacy', 'team-legacy'),
];

const mallory = mockCredentials.user('user:default/mallory');

async function setup(
  options: {
    releaseOwner?: boolean;
    stateErrors?: SourceError[];
    permissions?: PermissionsService;
  } = {},
) {
  const repo = fakeRepo({ 'apps/checkout-api/envs/prod/values.yaml': VALUES });
  const knex = await databases.init('SQLITE_3');
  const audit = await PromotionAuditStore.create({
    getClient: async () => knex,
  });
  const catalog = catalogServiceMock({ entities });
  const authorize = jest.fn(async (requests: unknown[]) =>
    requests.map(() => ({ result: AuthorizeResult.ALLOW })),
  );
  const promotions = new PromotionService({
    catalog,
    permissions:
      options.permissions ??
      mockServices.permissions.mock({ authorize: authorize as any }),
    state: {
      getState: async entity => ({
        ...checkoutApiState(),
        entityRef: stringifyEntityRef(entity),
        errors: options.stateErrors ?? [],
      }),
      getHistory: async () => {
        throw new Error('not used');
      },
    },
    github: { forRepo: async () => repo.client },
    pullRequests: new PullRequestReader({
      github: { forRepo: async () => repo.client },
      maxReads: 20,
      ttlMs: 0,
    }),
    config: readGitopsConfig(testPromotionConfig).promotion,
    unavailable: undefined,
    audit,
    auditor: new PromotionAuditor({
      auditor: mockServices.auditor.mock(),
      store: audit,
      logger: mockServices.logger.mock(),
    }),
    ownership: testOwnership(
      catalog,
      options.releaseOwner
        ? {
            releaseOwners: ['group:default/release-managers'],
            ownershipEntityRefs: ['group:default/release-managers'],
          }
        : { releaseOwners: ['group:default/release-managers'] },
    ),
    logger: mockServices.logger.mock(),
  });
  const app = (credentials: BackstageCredentials) =>
    express()
      .use(express.json())
      .use(
        createPromotionRouter({
          promotions,
          catalog,
          permissions: mockServices.permissions(),
          httpAuth: mockServices.httpAuth({ defaultCredentials: credentials }),
        }),
      )
      .use(
        MiddlewareFactory.create({
          config: new ConfigReader({}),
          logger: mockServices.logger.mock(),
        }).error(),
      );
  const registry = actionsRegistryServiceMock();
  registerPromoteAction({ actionsRegistry: registry, promotions });
  const invoke = (input: object, credentials: BackstageCredentials) =>
    registry.invoke({ id: 'test:promote', input, credentials });
  return { repo, audit, app, invoke, authorize };
}

const promote = (entity: string, dryRun: boolean) => ({
  entityRef: `component:default/${entity}`,
  from: 'staging',
  to: 'prod',
  dryRun,
});

describe('promotion ownership', () => {
  it.each([
    // a dry run is no attempt and stays out of the table (the auditor service has it)
    { dryRun: true, recorded: undefined },
    {
      dryRun: false,
      recorded: expect.objectContaining({
        outcome: 'failed',
        message: expect.stringMatching(/^NotAllowedError: .*outside/),
      }),
    },
  ])(
    "refuses (403) an entity whose selector claims another team's Applications, dry run $dryRun, and writes nothing",
    async ({ dryRun, recorded }) => {
      const { app, repo, audit } = await setup();
      const res = await request(app(mallory))
        .post('/v1/promotions')
        .send(promote('intruder', dryRun));

      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        "component:default/intruder cannot be promoted: it would edit apps/checkout-api/envs/prod/values.yaml in http://github.example/acme/payments-gitops.git, outside https://github.example/acme/new-gitops, the GitOps repository of its owner group:default/team-new (gitops/repo-url); only release owners promote across teams. Check that the entity's Argo CD annotations select its own Applications",
      );
      expect(repo.counts.writes).toBe(0);
      const [record] = await audit.list('component:default/intruder', {
        limit: 1,
      });
      expect(record).toEqual(recorded);
    },
  );

  it('refuses the same through the MCP action', async () => {
    const { invoke, repo } = await setup();
    const promise = invoke(promote('intruder', false), mallory);
    await expect(promise).rejects.toBeInstanceOf(NotAllowedError);
    await expect(promise).rejects.toThrow(/outside .*new-gitops/);
    expect(repo.counts.writes).toBe(0);
  });

  it("lets the owners promote in their Group's repository", async () => {
    const { app, repo } = await setup();
    const res = await request(app(mockCredentials.user('user:default/jane')))
      .post('/v1/promotions')
      .send(promote('checkout-api', false));
    expect(res.status).toBe(201);
    expect(repo.counts.writes).toBeGreaterThan(0);
  });

  it("keeps the release owners' cross-team right", async () => {
    const { app, repo } = await setup({ releaseOwner: true });
    const res = await request(app(mallory))
      .post('/v1/promotions')
      .send(promote('intruder', false));
    expect(res.status).toBe(201);
    expect(repo.counts.writes).toBeGreaterThan(0);
  });

  it('refuses an owner Group without gitops/repo-url, saying what to annotate', async () => {
    const { app, repo } = await setup();
    const res = await request(app(mallory))
      .post('/v1/promotions')
      .send(promote('legacy', true));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'component:default/legacy cannot be promoted: promotions only edit the GitOps repository of the owning Group, named by its gitops/repo-url annotation, and group:default/team-legacy has no gitops/repo-url annotation; set spec.owner to a Group and annotate the Group in the org catalog, or ask a release owner to promote',
    );
    expect(repo.counts.reads).toBeGreaterThan(0);
    expect(repo.counts.writes).toBe(0);
  });

  describe('refuses a service principal (403) before asking the policy', () => {
    const service = mockCredentials.service('plugin:catalog');
    const message =
      "Promotions are made by signed-in users only; a service principal (plugin:catalog) cannot promote. Call on behalf of a user (e.g. the scaffolder's initiator credentials)";

    it('through REST', async () => {
      const { app, authorize, repo } = await setup();
      const res = await request(app(service))
        .post('/v1/promotions')
        .send(promote('checkout-api', false));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(message);
      expect(authorize).not.toHaveBeenCalled();
      expect(repo.counts.reads).toBe(0);
    });

    it('through MCP', async () => {
      const { invoke, authorize, repo } = await setup();
      await expect(
        invoke(promote('checkout-api', false), service),
      ).rejects.toThrow(message);
      expect(authorize).not.toHaveBeenCalled();
      expect(repo.counts.reads).toBe(0);
    });
  });

  it('refuses (400) an entity whose annotation the state refused, before reading Git', async () => {
    const { app, repo } = await setup({
      stateErrors: [
        {
          source: 'annotation:argocd/app-selector',
          kind: 'config',
          message: 'The selector names no label value',
        },
      ],
    });
    const res = await request(app(mallory))
      .post('/v1/promotions')
      .send(promote('intruder', true));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'component:default/intruder cannot be promoted: The selector names no label value',
    );
    expect(repo.counts.reads).toBe(0);
  });

  it('refuses (400) an entity with both argocd/app-name and argocd/app-selector, saying to keep one', async () => {
    const both = {
      ...component('checkout-api', 'group:default/payments'),
      metadata: {
        name: 'checkout-api',
        namespace: 'default',
        annotations: {
          'argocd/app-name': 'checkout-api-prod',
          'argocd/app-selector': 'app.kubernetes.io/name=checkout-api',
        },
      },
    };
    const { app, repo } = await setup({
      stateErrors: readEntityQuery(both, []).errors,
    });
    const res = await request(app(mockCredentials.user('user:default/jane')))
      .post('/v1/promotions')
      .send(promote('checkout-api', true));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^component:default\/checkout-api cannot be promoted: Both argocd\/app-name and argocd\/app-selector are set on component:default\/checkout-api; keep one of the two/,
    );
    expect(repo.counts.reads).toBe(0);
  });

  it("refuses (403) an entity whose Application another owner's entity claims too, even its owners", async () => {
    const { app, repo } = await setup({
      stateErrors: [
        {
          source: 'claim:core/argocd/checkout-api-prod',
          kind: 'config',
          message:
            'Application checkout-api-prod is also selected by component:default/intruder (owner group:default/team-new)',
        },
      ],
    });
    const res = await request(app(mockCredentials.user('user:default/jane')))
      .post('/v1/promotions')
      .send(promote('checkout-api', true));
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'component:default/checkout-api cannot be promoted: Application checkout-api-prod is also selected by component:default/intruder (owner group:default/team-new)',
    );
    expect(repo.counts.reads).toBe(0);
  });

  it.each([
    'component:default/checkout-api',
    'Component:default/checkout-api',
    'component:checkout-api',
  ])(
    'asks the policy about the catalog entity, not the spelling of %s, and keeps a non-owner out',
    async entityRef => {
      const authorize = jest.fn(async (requests: any[]) =>
        requests.map(r => ({
          result:
            r.resourceRef === 'component:default/checkout-api'
              ? AuthorizeResult.DENY
              : AuthorizeResult.ALLOW,
        })),
      );
      const { app, repo } = await setup({
        permissions: mockServices.permissions.mock({
          authorize: authorize as any,
        }),
      });
      const res = await request(app(mallory))
        .post('/v1/promotions')
        .send({ ...promote('checkout-api', false), entityRef });
      expect(res.status).toBe(403);
      expect(authorize).toHaveBeenCalledTimes(1);
      expect(repo.counts.writes).toBe(0);
    },
  );
});
