import {
  createBackendModule,
  coreServices,
} from '@backstage/backend-plugin-api';
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
import { gitopsEntityPromotePermission } from '@backstage-gitops/plugin-gitops-common';
import { Config } from '@backstage/config';

/**
 * The example portal's policy. Everything is allowed to signed-in users except promotion:
 * `gitops.entity.promote` is allowed to the entity's owners and to members of the configured
 * release-owners group (`gitops.promotion.releaseOwners`).
 */
export class GitopsExamplePolicy implements PermissionPolicy {
  private readonly releaseOwners: string[];

  constructor(config: Config) {
    this.releaseOwners =
      config.getOptionalStringArray('gitops.promotion.releaseOwners') ?? [];
  }

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isPermission(request.permission, gitopsEntityPromotePermission)) {
      const claims = user?.info.ownershipEntityRefs ?? [];
      if (claims.some(ref => this.releaseOwners.includes(ref))) {
        return { result: AuthorizeResult.ALLOW };
      }
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'gitops-example-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(new GitopsExamplePolicy(config));
      },
    });
  },
});
