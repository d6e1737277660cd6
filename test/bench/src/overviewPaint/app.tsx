/**
 * The browser side of the overview paint benchmark: a frontend-system app with the real GitOps
 * plugin (its `/gitops` page, GitopsClient, discovery and fetch APIs) and the catalog plugin the
 * page's owner and system filters read. Its stylesheet (`@backstage/ui`'s) is a bundle entry. The backend is the page's own origin; it proxies `/api`.
 */
import { ConfigReader } from '@backstage/config';
import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
// the page under test, as an app adds it
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import gitopsPlugin from '@backstage-gitops/plugin-gitops/alpha';
// this package is the app here, bundled for the browser by bundleApp, not a library of one
// eslint-disable-next-line @backstage/no-undeclared-imports
import ReactDOM from 'react-dom/client';

const origin = window.location.origin;
const app = createApp({
  features: [catalogPlugin, gitopsPlugin],
  advanced: {
    configLoader: async () => ({
      config: new ConfigReader({
        app: {
          title: 'Overview paint bench',
          baseUrl: origin,
          // no sign-in: the bench backend takes requests without a token as a signed-in user
          extensions: [{ 'sign-in-page:app': false }],
        },
        backend: { baseUrl: origin },
      }),
    }),
  },
});

ReactDOM.createRoot(document.getElementById('root')!).render(app.createRoot());
