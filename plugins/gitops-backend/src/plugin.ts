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
import { ApplicationClaims } from './entities/ApplicationClaims';
import { createRouter } from './service/router';
import { createStateRouter } from './service/stateRouter';
import { PromotionAuditor } from './audit/PromotionAuditor';
import { PromotionAuditStore } from './audit/PromotionAuditStore';
import {
  createPromotionRouter,
  PromotionOwnership,
  promotionUnavailableReason,
  PromotionService,
  registerPromoteAction,
} from './promotion';
import {
  createGithubRepoClientFactory,
  readGitopsConfig,
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
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        signals: signalsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        database: coreServices.database,
        auditor: coreServices.auditor,
      },
      async init({
        httpRouter,
        httpAuth,
        auth,
        userInfo,
        logger,
        config,
        permissions,
        permissionsRegistry,
        lifecycle,
        catalog,
        signals,
        actionsRegistry,
        database,
        auditor,
      }) {
        const gitopsConfig = readGitopsConfig(config);
        permissionsRegistry.addPermissions(gitopsPermissions);

        const statusListeners: Array<(instance: string) => void> = [];
        const backend = createGitopsStateBackend({
          config: gitopsConfig,
          integrations: ScmIntegrations.fromConfig(config),
          logger,
          claims: new ApplicationClaims({
            catalog,
            auth,
            logger,
            instances: gitopsConfig.instances.map(i => i.name),
          }),
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

        const audit = await PromotionAuditStore.create(database);
        const promotionConfig = gitopsConfig.promotion;
        const promotionUnavailable = promotionUnavailableReason(
          config,
          promotionConfig,
        );
        if (promotionUnavailable) {
          logger.warn(promotionUnavailable);
        }
        const promotions = new PromotionService({
          catalog,
          permissions,
          state: backend.state,
          github: createGithubRepoClientFactory({
            integrations: ScmIntegrations.fromConfig(config),
            logger,
          }),
          config: promotionConfig,
          unavailable: promotionUnavailable,
          audit,
          auditor: new PromotionAuditor({ auditor, store: audit, logger }),
          ownership: new PromotionOwnership({
            catalog,
            auth,
            userInfo,
            releaseOwners: promotionConfig.releaseOwners,
          }),
          logger,
        });
        registerPromoteAction({ actionsRegistry, promotions });

        httpRouter.use(
          await createRouter({
            logger,
            routers: [
              createStateRouter({
                state: backend.state,
                promotionUnavailable,
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
        // A token replaced in the config (e.g. a `$file` secret, which the config loader
        // watches) is used without a restart; other changes still need one.
        const reload = config.subscribe?.(() => {
          try {
            backend.updateTokens(readGitopsConfig(config));
          } catch (error) {
            logger.warn(`GitOps config reload ignored: ${error}`);
          }
        });
        lifecycle.addShutdownHook(async () => {
          reload?.unsubscribe();
          publisher.stop();
          await backend.stop();
        });
      },
    });
  },
});
