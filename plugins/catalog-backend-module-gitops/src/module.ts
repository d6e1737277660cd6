import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { readGitopsConfig } from '@backstage-gitops/plugin-gitops-node';
import { createReleaseOwnerRule } from '@backstage-gitops/plugin-gitops-node';

/**
 * Adds the release-owner rule (`gitopsCatalogConditions.isReleaseOwner` of
 * `@backstage-gitops/plugin-gitops-common`) to the catalog, which evaluates the conditions on its
 * entities, for `gitops.promotion.releaseOwners`.
 *
 * @public
 */
export const catalogModuleGitopsReleaseOwners = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'gitops-release-owners',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ config, permissionsRegistry }) {
        permissionsRegistry.addPermissionRules([
          createReleaseOwnerRule(
            readGitopsConfig(config).promotion.releaseOwners,
          ),
        ]);
      },
    });
  },
});
