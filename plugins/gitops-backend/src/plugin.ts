import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { gitopsPermissions } from '@backstage-gitops/plugin-gitops-common';
import { registerGetDeploymentStateAction } from './actions/registerGetDeploymentStateAction';
import { readGitopsConfig } from './config/readGitopsConfig';
import { createRouter } from './service/router';
import { createStateRouter } from './service/stateRouter';
import { PromotionAuditStore } from './audit/PromotionAuditStore';
import {
  createPromotionRouter,
  PromotionService,
  registerPromoteAction,
} from './promotion';
import {
  createGithubRepoClientFactory,
  readPromotionConfig,
} from '@backstage-gitops/plugin-gitops-node';
import { StateSignalPublisher } from './signals/StateSignalPublisher';
import { createGitopsStateBackend } from './state/createGitopsStateBackend';

/**
 * The GitOps backend plugin: deployment state of catalog entities across environments and
 * clusters, and promotions between environments.
 *
 * @public
 */
export const gitopsPlugin = createBackendPlugin({
  pluginId: 'gitops',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        database: coreServices.database,
      },
      async init({
        httpRouter,
        httpAuth,
        logger,
        config,
        permissions,
        permissionsRegistry,
        lifecycle,
        catalog,
        signals,
        actionsRegistry,
        database,
      }) {
        const gitopsConfig = readGitopsConfig(config);
        permissionsRegistry.addPermissions(gitopsPermissions);

        const statusListeners: Array<(instance: string) => void> = [];
        const backend = createGitopsStateBackend({
          config: gitopsConfig,
          integrations: ScmIntegrations.fromConfig(config),
          logger,
          onSourceStatusChange: instance =>
            statusListeners.forEach(listener => listener(instance)),
        });
        const publisher = new StateSignalPublisher({
          store: backend.store,
          state: backend.state,
          signals,
          logger,
          debounceMs: gitopsConfig.signalDebounceMs,
        });
        statusListeners.push(instance => publisher.instanceChanged(instance));

        registerGetDeploymentStateAction({
          actionsRegistry,
          state: backend.state,
          catalog,
          permissions,
        });

        const promotions = new PromotionService({
          catalog,
          permissions,
          state: backend.state,
          github: createGithubRepoClientFactory({
            integrations: ScmIntegrations.fromConfig(config),
            logger,
          }),
          config: readPromotionConfig(config),
          audit: await PromotionAuditStore.create(database),
          logger,
        });
        registerPromoteAction({ actionsRegistry, promotions });

        httpRouter.use(
          await createRouter({
            logger,
            routers: [
              createStateRouter({
                state: backend.state,
                catalog,
                permissions,
                httpAuth,
              }),
              createPromotionRouter({
                promotions,
                catalog,
                permissions,
                httpAuth,
              }),
            ],
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        lifecycle.addStartupHook(() => {
          publisher.start();
          // sources sync in the background: an unreachable instance must not delay startup
          backend
            .start()
            .then(() =>
              logger.info(
                `GitOps state: ${backend.store.size()} Applications from ${
                  backend.sources.length
                } instances`,
              ),
            );
        });
        lifecycle.addShutdownHook(async () => {
          publisher.stop();
          await backend.stop();
        });
      },
    });
  },
});
