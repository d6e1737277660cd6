import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
  isPermission,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  gitopsCatalogConditions,
  gitopsEntityPromotePermission,
} from '@backstage-gitops/plugin-gitops-common';

/**
 * The example portal's policy. Everything is allowed to signed-in users except promotion:
 * `gitops.entity.promote` is allowed to the entity's owners and to the release owners
 * (`gitops.promotion.releaseOwners`, evaluated by the catalog module of the GitOps suite).
 */
export class GitopsExamplePolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, gitopsEntityPromotePermission)) {
      const claims = user?.info.ownershipEntityRefs ?? [];
      return createCatalogConditionalDecision(request.permission, {
        anyOf: [
          catalogConditions.isEntityOwner({ claims }),
          gitopsCatalogConditions.isReleaseOwner({ claims }),
        ],
      });
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'gitops-example-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new GitopsExamplePolicy());
      },
    });
  },
});
