import { createRouteRef } from '@backstage/core-plugin-api';

/**
 * The GitOps overview page, mounted at `/gitops` by default.
 *
 * @public
 */
export const gitopsOverviewRouteRef = createRouteRef({ id: 'gitops:overview' });
