import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { GitopsClient, gitopsApiRef } from './api';

/**
 * The GitOps frontend plugin for apps on the legacy frontend system.
 *
 * @public
 */
export const gitopsPlugin = createPlugin({
  id: 'gitops',
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
