import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import { gitopsPermissions } from '@backstage-gitops/plugin-gitops-common';
import { registerGetDeploymentStateAction } from './actions/registerGetDeploymentStateAction';
import { ApplicationClaims } from './entities/ApplicationClaims';
import { createRouter } from './service/router';
import { createStateRouter } from './service/stateRouter';
import { createControlPlaneRouter } from './service/controlPlaneRouter';
import { computeControlPlaneHealth } from './controlPlane/computeControlPlaneHealth';
import { GitopsNotifier } from './notifications/GitopsNotifier';
import { createOverviewRouter } from './service/overviewRouter';
import { OverviewAccess } from './overview/OverviewAccess';
import { OverviewIndex } from './overview/OverviewIndex';
import { ReadinessService } from './readiness/ReadinessService';
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
import { PromotionTracker } from './tracking/PromotionTracker';
import { PullRequestReader } from './tracking/PullRequestReader';
import { subscribePullRequestEvents } from './tracking/pullRequestEvents';

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
        notifications: notificationService,
        events: eventsServiceRef,
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
        notifications,
        events,
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
        const notifier = new GitopsNotifier({
          notifications,
          episodes: backend.episodes,
          store: backend.store,
          claims,
          config: gitopsConfig,
          logger: logger.child({ component: 'notifications' }),
        });

        const readiness = new ReadinessService({
          config: gitopsConfig,
          store: backend.store,
          sources: backend.sources,
          versions: backend.versions,
          history: backend.state,
          waitMs: gitopsConfig.gitWaitMs,
        });
        registerGetDeploymentStateAction({
          actionsRegistry,
          readiness,
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
        const pullRequests = new PullRequestReader({
          github: repoClients,
          maxReads: promotionConfig.tracking.maxReadsPerPoll,
          // a listing and a poll close together read GitHub once
          ttlMs: Math.min(promotionConfig.tracking.pollIntervalMs / 2, 15_000),
        });
        const tracker = new PromotionTracker({
          audit,
          reader: pullRequests,
          state: backend.state,
          store: backend.store,
          loadEntity: async entityRef =>
            catalog.getEntityByRef(entityRef, {
              credentials: await auth.getOwnServiceCredentials(),
            }),
          config: promotionConfig,
          instances: gitopsConfig.instances.map(i => i.name),
          logger: logger.child({ component: 'promotion-tracking' }),
          debounceMs: gitopsConfig.signalDebounceMs,
        });
        backend.state.usePromotions(tracker);
        tracker.onChange(promotion => {
          publisher.entityChanged(promotion.entityRef);
          notifier
            .notifyPromotion(promotion)
            .catch(error =>
              logger.warn(`Could not notify of ${promotion.id}: ${error}`),
            );
        });
        const promotions = new PromotionService({
          catalog,
          permissions,
          state: backend.state,
          github: repoClients,
          locators: versionLocators,
          config: promotionConfig,
          unavailable: promotionUnavailable,
          audit,
          pullRequests,
          tracker,
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
                readiness,
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
                promotions: tracker,
              }),
              createPromotionRouter({
                promotions,
                catalog,
                permissions,
                httpAuth,
              }),
              createControlPlaneRouter({
                health: () =>
                  computeControlPlaneHealth({
                    config: gitopsConfig,
                    store: backend.store,
                    sources: backend.sources,
                    episodes: backend.episodes,
                  }),
                permissions,
                httpAuth,
              }),
            ],
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });

        lifecycle.addStartupHook(() => {
          publisher.start();
          notifier.start();
          tracker
            .start()
            .catch(error =>
              logger.error(`Promotion tracking could not start: ${error}`),
            );
          // optional: with GitHub webhooks in the events system, a merge shows at once
          subscribePullRequestEvents({ events, tracker, logger }).catch(error =>
            logger.warn(
              `Promotion tracking: no GitHub pull request events: ${error}`,
            ),
          );
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
          notifier.stop();
          overview.stop();
          tracker.stop();
          await backend.stop();
        });
      },
    });
  },
});
