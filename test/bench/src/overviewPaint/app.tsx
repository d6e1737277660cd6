/**
 * The browser side of the overview paint benchmark: a frontend-system app with the real GitOps
 * plugin (its `/gitops` page, GitopsClient, discovery and fetch APIs) and the catalog plugin the
 * page's owner and system filters read. The backend is the page's own origin; it proxies `/api`.
 */
import { ConfigReader } from '@backstage/config';
import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import gitopsPlugin from '@backstage-gitops/plugin-gitops/alpha';
import ReactDOM from 'react-dom/client';
import '@backstage/ui/css/styles.css';

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
