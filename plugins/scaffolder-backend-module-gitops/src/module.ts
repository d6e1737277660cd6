import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createGitopsApplicationCreateAction } from './actions/application';
import {
  createGitopsTeamCheckAction,
  createGitopsTeamResolveAction,
} from './actions/team';
import { createGitopsPromoteAction } from './actions/promote';
import { GitopsPromotionClient } from '@backstage-gitops/plugin-gitops-node';

/**
 * Adds the GitOps suite's actions to the scaffolder.
 *
 * @public
 */
export const gitopsScaffolderModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
      },
      async init({ scaffolder, config, catalog, discovery, auth }) {
        const integrations = ScmIntegrations.fromConfig(config);
        scaffolder.addActions(
          createGitopsTeamResolveAction({ catalog, integrations }),
          createGitopsTeamCheckAction({ catalog, integrations }),
          createGitopsApplicationCreateAction({ config }),
          createGitopsPromoteAction({
            client: new GitopsPromotionClient({ discovery, auth }),
          }),
        );
      },
    });
  },
});
