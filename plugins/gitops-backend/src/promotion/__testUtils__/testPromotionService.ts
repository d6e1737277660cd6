import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  GitopsRepoClient,
  readGitopsConfig,
} from '@backstage-gitops/plugin-gitops-node';
import { Knex } from 'knex';
import { PromotionAuditor } from '../../audit/PromotionAuditor';
import { PromotionAuditStore } from '../../audit/PromotionAuditStore';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { PromotionOwnership } from '../ownership';
import { PullRequestReader } from '../../tracking/PullRequestReader';
import { PromotionService } from '../PromotionService';
import { checkoutApiState } from './fakeGitops';

/** The portal config of the promotion tests: dev, staging and prod (prod-eu-1, prod-us-1). */
export const testPromotionConfig = new ConfigReader({
  app: { baseUrl: 'http://portal.example' },
  gitops: {
    environments: [
      { name: 'dev', clusters: ['dev-1'] },
      { name: 'staging', clusters: ['staging-1'] },
      { name: 'prod', clusters: ['prod-eu-1', 'prod-us-1'] },
    ],
    clusters: ['dev-1', 'staging-1', 'prod-eu-1', 'prod-us-1'].map(name => ({
      name,
    })),
    promotion: { labels: ['promotion'] },
  },
});

/** The Group owning checkout-api, with the GitOps repository of `fakeRepo` and `checkoutApiState`. */
export const paymentsGroup: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: {
      'gitops/repo-url': 'http://github.example/acme/payments-gitops',
    },
  },
  spec: { type: 'team', children: [] },
};

/** The ownership checks over `catalog`, with `releaseOwners` and the user's extra ownership refs. */
export function testOwnership(
  catalog: CatalogService,
  options: { releaseOwners?: string[]; ownershipEntityRefs?: string[] } = {},
): PromotionOwnership {
  return new PromotionOwnership({
    catalog,
    auth: mockServices.auth(),
    userInfo: {
      getUserInfo: async credentials => {
        const { userEntityRef } = credentials.principal as {
          userEntityRef: string;
        };
        return {
          userEntityRef,
          ownershipEntityRefs: [
            userEntityRef,
            ...(options.ownershipEntityRefs ?? []),
          ],
        };
      },
    },
    releaseOwners: options.releaseOwners ?? [],
  });
}

/**
 * A {@link PromotionService} for checkout-api (see `checkoutApiState`) over `client`, auditing to
 * `knex`, that allows every permission.
 */
/** A catalog with checkout-api and its owner group:default/payments. */
export function checkoutApiCatalog() {
  return catalogServiceMock({
    entities: [
      paymentsGroup,
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'checkout-api', namespace: 'default' },
        spec: {
          owner: 'group:default/payments',
          type: 'service',
          lifecycle: 'production',
        },
      },
    ],
  });
}

export async function testPromotionService(options: {
  client: GitopsRepoClient;
  knex: Knex;
}): Promise<{ promotions: PromotionService; audit: PromotionAuditStore }> {
  const audit = await PromotionAuditStore.create({
    getClient: async () => options.knex,
  });
  const state = checkoutApiState();
  const catalog = checkoutApiCatalog();
  const promotions = new PromotionService({
    catalog,
    ownership: testOwnership(catalog),
    permissions: mockServices.permissions.mock({
      authorize: jest.fn(async requests =>
        requests.map(() => ({ result: AuthorizeResult.ALLOW })),
      ) as any,
    }),
    state: {
      getState: async () => state,
      getHistory: async (_entity, environment) => ({
        entityRef: state.entityRef,
        environment,
        entries: [],
        errors: [],
      }),
    },
    github: { forRepo: async () => options.client },
    pullRequests: new PullRequestReader({
      github: { forRepo: async () => options.client },
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
    logger: mockServices.logger.mock(),
  });
  return { promotions, audit };
}
