import { useLocation } from 'react-router-dom';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { GitopsApi, gitopsApiRef } from '../api';
import { OverviewPage } from '../components/OverviewPage';

/** Test helpers. Used by tests only. */

/** Shows the current query string, so tests can read what the page wrote to the URL. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{location.search}</output>;
}

export function renderOverview(api: GitopsApi, url = '/gitops') {
  return renderInTestApp(
    <>
      <OverviewPage />
      <LocationProbe />
    </>,
    {
      apis: [
        [gitopsApiRef, api],
        catalogApiMock({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: { name: 'team-a', namespace: 'default' },
              spec: { type: 'team', children: [] },
            },
          ],
        }),
        mockApis.permission(),
      ] as any,
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      initialRouteEntries: [url],
    },
  );
}
