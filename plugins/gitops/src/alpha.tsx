import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { GitopsIcon } from './GitopsIcon';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { GitopsClient, gitopsApiRef } from './api';
import { isGitopsAvailable } from './isGitopsAvailable';
import { gitopsOverviewRouteRef } from './routes';

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

/** The GitOps overview page at `/gitops`, with its nav item. @alpha */
export const gitopsOverviewPage = PageBlueprint.make({
  params: {
    path: '/gitops',
    title: 'GitOps',
    icon: <GitopsIcon />,
    routeRef: convertLegacyRouteRef(gitopsOverviewRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/OverviewPage').then(m => <m.OverviewPage />),
  },
});

/**
 * The GitOps frontend plugin for apps on the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'gitops',
  routes: { root: convertLegacyRouteRef(gitopsOverviewRouteRef) },
  extensions: [
    gitopsApi,
    gitopsEntityContent,
    gitopsEntityCard,
    gitopsOverviewPage,
  ],
});
