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
import { createOverviewRouter } from './service/overviewRouter';
import { OverviewAccess } from './overview/OverviewAccess';
import { OverviewIndex } from './overview/OverviewIndex';
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
  builtinVersionLocators,
  createGithubRepoClientFactory,
  createReleaseOwnerRule,
  gitopsApplicationSourcesExtensionPoint,
  gitopsRepoClientsExtensionPoint,
  gitopsVersionLocatorsExtensionPoint,
  readGitopsConfig,
} from '@backstage-gitops/plugin-gitops-node';
import { GitopsExtensionRegistry } from './extensions/GitopsExtensionRegistry';
import { builtinSourceFactories } from './sources/builtinSourceFactories';
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
    const added = new GitopsExtensionRegistry();
    env.registerExtensionPoint(gitopsApplicationSourcesExtensionPoint, {
      addApplicationSourceFactory: factory =>
        added.addApplicationSourceFactory(factory),
    });
    env.registerExtensionPoint(gitopsVersionLocatorsExtensionPoint, {
      addVersionLocator: locator => added.addVersionLocator(locator),
    });
    env.registerExtensionPoint(gitopsRepoClientsExtensionPoint, {
      addRepoClientProvider: provider => added.addRepoClientProvider(provider),
    });

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
        // the built-ins go through the same points as modules, ahead of what modules added
        const extensions = new GitopsExtensionRegistry();
        builtinSourceFactories().forEach(factory =>
          extensions.addApplicationSourceFactory(factory),
        );
        const sourceTypes = [
          ...extensions.sourceFactories(),
          ...added.sourceFactories(),
        ].map(factory => factory.type);
        const readConfig = () =>
          readGitopsConfig(config, { instanceTypes: sourceTypes });
        const gitopsConfig = readConfig();
        builtinVersionLocators({
          helmValuesKey: gitopsConfig.helmValuesKey,
        }).forEach(locator => extensions.addVersionLocator(locator));
        const integrations = ScmIntegrations.fromConfig(config);
        extensions.addRepoClientProvider(
          createGithubRepoClientFactory({ integrations, logger }),
        );
        extensions.addAll(added);
        const repoClients = extensions.repoClients();
        const versionLocators = extensions.versionLocators();
        permissionsRegistry.addPermissions(gitopsPermissions);

        const statusListeners: Array<(instance: string) => void> = [];
        const claims = new ApplicationClaims({
          catalog,
          auth,
          logger,
          instances: gitopsConfig.instances.map(i => i.name),
        });
        const backend = createGitopsStateBackend({
          config: gitopsConfig,
          integrations,
          sourceFactories: extensions.sourceFactories(),
          locators: versionLocators,
          repoClients,
          logger,
          claims,
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
          github: repoClients,
          locators: versionLocators,
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

        const overview = new OverviewIndex({
          claims,
          state: backend.state,
          store: backend.store,
          episodes: backend.episodes,
          logger,
          refreshMs: gitopsConfig.overviewRefreshMs,
        });

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
              createOverviewRouter({
                index: overview,
                access: new OverviewAccess({
                  permissions,
                  rules: [
                    createReleaseOwnerRule(promotionConfig.releaseOwners),
                  ],
                }),
                httpAuth,
                userInfo,
                environments: gitopsConfig.topology.environments.map(e => ({
                  name: e.name,
                  title: e.title,
                })),
                promotionConfig,
                promotionUnavailable,
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
            .then(() => {
              logger.info(
                `GitOps state: ${backend.store.size()} Applications from ${
                  backend.sources.length
                } instances`,
              );
              // after the first lists, so the rows are not built on an empty store
              return overview.start();
            })
            .catch(error =>
              logger.warn(`GitOps overview could not start: ${error}`),
            );
        });
        // A token or login replaced in the config (e.g. a `$file` secret, which the config
        // loader watches) is used without a restart; other changes still need one.
        const reload = config.subscribe?.(() => {
          try {
            backend.updateCredentials(readConfig());
          } catch (error) {
            logger.warn(`GitOps config reload ignored: ${error}`);
          }
        });
        lifecycle.addShutdownHook(async () => {
          reload?.unsubscribe();
          publisher.stop();
          overview.stop();
          await backend.stop();
        });
      },
    });
  },
});
