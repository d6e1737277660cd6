import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { navModule } from './modules/nav';

/**
 * The portal. Every plugin package listed in package.json (catalog, scaffolder, search, the
 * GitOps suite, ...) is discovered through `app.packages: all` in app-config.yaml.
 */
export default createApp({
  features: [catalogPlugin, navModule],
});
