import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { GitopsClient, gitopsApiRef } from './api';
import { gitopsOverviewRouteRef } from './routes';

/**
 * The GitOps frontend plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const gitopsPlugin = createPlugin({
  id: 'gitops',
  routes: { root: gitopsOverviewRouteRef },
  apis: [
    createApiFactory({
      api: gitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitopsClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The GitOps entity tab content for apps on the legacy frontend system.
 *
 * @public
 */
export const EntityGitopsContent = gitopsPlugin.provide(
  createComponentExtension({
    name: 'EntityGitopsContent',
    component: {
      lazy: () =>
        import('./components/GitopsContent').then(m => m.GitopsContent),
    },
  }),
);

/**
 * The GitOps summary card for the entity overview page, for apps on the legacy frontend system.
 *
 * @public
 */
export const EntityGitopsCard = gitopsPlugin.provide(
  createComponentExtension({
    name: 'EntityGitopsCard',
    component: {
      lazy: () => import('./components/GitopsCard').then(m => m.GitopsCard),
    },
  }),
);

/**
 * The GitOps overview page (every service per environment, and what is ready to promote) for
 * apps on the legacy frontend system; mount it at `/gitops`.
 *
 * @public
 */
export const GitopsOverviewPage = gitopsPlugin.provide(
  createRoutableExtension({
    name: 'GitopsOverviewPage',
    component: () =>
      import('./components/OverviewPage').then(m => m.OverviewPage),
    mountPoint: gitopsOverviewRouteRef,
  }),
);
