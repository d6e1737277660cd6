import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { GitopsClient, gitopsApiRef } from './api';
import { isGitopsAvailable } from './isGitopsAvailable';

export { gitopsTranslationRef } from './translation';

/** The GitOps API client. @alpha */
export const gitopsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: gitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new GitopsClient({ discoveryApi, fetchApi }),
    }),
});

/** The GitOps tab on entity pages. @alpha */
export const gitopsEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/gitops',
    title: 'GitOps',
    filter: isGitopsAvailable,
    loader: () =>
      import('./components/GitopsContent').then(m => <m.GitopsContent />),
  },
});

/** The GitOps summary card on the entity overview page. @alpha */
export const gitopsEntityCard = EntityCardBlueprint.make({
  params: {
    filter: isGitopsAvailable,
    loader: () => import('./components/GitopsCard').then(m => <m.GitopsCard />),
  },
});

/**
 * The GitOps frontend plugin for apps on the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'gitops',
  extensions: [gitopsApi, gitopsEntityContent, gitopsEntityCard],
});
