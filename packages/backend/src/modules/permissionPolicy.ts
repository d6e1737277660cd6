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
  gitopsControlPlaneReadPermission,
  gitopsEntityPromotePermission,
} from '@backstage-gitops/plugin-gitops-common';

/** The group whose members see the control-plane health of the Argo CD instances. */
export const PLATFORM_TEAM = 'group:default/platform-team';

/**
 * The example portal's policy. Everything is allowed to signed-in users except promotion:
 * `gitops.entity.promote` is allowed to the entity's owners and to the release owners
 * (`gitops.promotion.releaseOwners`, evaluated by the catalog module of the GitOps suite), and
 * the control-plane health (`gitops.controlplane.read`), allowed to members of the platform team.
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
    if (isPermission(request.permission, gitopsControlPlaneReadPermission)) {
      const claims = user?.info.ownershipEntityRefs ?? [];
      return {
        result: claims.includes(PLATFORM_TEAM)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
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
