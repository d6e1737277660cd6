import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import guestProvider from '@backstage/plugin-auth-backend-module-guest-provider';

/**
 * Whether guest sign-in is offered: only when the config has `auth.providers.guest` (which only
 * app-config.development.yaml has) and the auth environment is `development` (the default;
 * app-config.production.yaml sets `production`). Config files are merged key by key, so a
 * production file cannot remove a provider an earlier file added; this check does not depend on
 * it.
 */
export function isGuestSignInEnabled(config: Config): boolean {
  return (
    config.has('auth.providers.guest') &&
    (config.getOptionalString('auth.environment') ?? 'development') ===
      'development'
  );
}

/**
 * Adds the guest auth provider for local development (`./dev start`, the end-to-end tests), and
 * nothing otherwise; see {@link isGuestSignInEnabled}.
 */
export default createBackendFeatureLoader({
  deps: {
    config: coreServices.rootConfig,
    logger: coreServices.rootLogger,
  },
  *loader({ config, logger }) {
    if (isGuestSignInEnabled(config)) {
      logger.warn('Guest sign-in is enabled: for local development only');
      yield guestProvider;
    } else if (config.has('auth.providers.guest')) {
      logger.warn(
        `auth.providers.guest is ignored: auth.environment is ${config.getString(
          'auth.environment',
        )}, and guest sign-in is offered only in development`,
      );
    }
  },
});
