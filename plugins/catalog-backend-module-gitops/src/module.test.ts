import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
  permissionRules,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityPermissionResourceRef } from '@backstage/plugin-catalog-node/alpha';
import { ConditionalPolicyDecision } from '@backstage/plugin-permission-common';
import {
  gitopsCatalogConditions,
  gitopsEntityPromotePermission,
} from '@backstage-gitops/plugin-gitops-common';
import request from 'supertest';
import { catalogModuleGitopsReleaseOwners } from './module';

const checkoutApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-api', namespace: 'default' },
  spec: { owner: 'group:default/payments' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/payments' }],
};

/** What the catalog registers for its entities: the resource type and `isEntityOwner`. */
const catalogStandIn = createBackendPlugin({
  pluginId: 'catalog',
  register(env) {
    env.registerInit({
      deps: { permissionsRegistry: coreServices.permissionsRegistry },
      async init({ permissionsRegistry }) {
        permissionsRegistry.addResourceType({
          resourceRef: catalogEntityPermissionResourceRef,
          rules: [permissionRules.isEntityOwner],
          getResources: async refs =>
            refs.map(ref =>
              ref === stringifyEntityRef(checkoutApi) ? checkoutApi : undefined,
            ),
        });
      },
    });
  },
});

/** The decision of a policy that lets owners and release owners promote. */
function promoteDecision(claims: string[]): ConditionalPolicyDecision {
  return createCatalogConditionalDecision(gitopsEntityPromotePermission, {
    anyOf: [
      catalogConditions.isEntityOwner({ claims }),
      gitopsCatalogConditions.isReleaseOwner({ claims }),
    ],
  });
}

describe('catalogModuleGitopsReleaseOwners', () => {
  it.each([
    [
      'an owner of the entity',
      ['user:default/jane', 'group:default/payments'],
      'ALLOW',
    ],
    [
      'a release owner who does not own it',
      ['user:default/rita', 'group:default/release-owners'],
      'ALLOW',
    ],
    ['anyone else', ['user:default/mallory', 'group:default/team-new'], 'DENY'],
  ])(
    'lets the catalog answer the promote condition for %s (%j): %s',
    async (_who, claims, result) => {
      const { server } = await startTestBackend({
        features: [
          catalogStandIn,
          catalogModuleGitopsReleaseOwners,
          mockServices.rootConfig.factory({
            data: {
              gitops: {
                environments: [{ name: 'prod', clusters: ['prod-eu-1'] }],
                clusters: [{ name: 'prod-eu-1' }],
                promotion: { releaseOwners: ['release-owners'] },
              },
            },
          }),
        ],
      });
      const { conditions, resourceType } = promoteDecision(claims);
      const response = await request(server)
        .post('/api/catalog/.well-known/backstage/permissions/apply-conditions')
        .set('authorization', mockCredentials.service.header())
        .send({
          items: [
            {
              id: '1',
              resourceRef: 'component:default/checkout-api',
              resourceType,
              conditions,
            },
          ],
        });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [{ id: '1', result }] });
    },
  );
});
