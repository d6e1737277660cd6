import { InputError } from '@backstage/errors';
import { isAbsolute, resolve } from 'node:path';

type ConfigObject = Record<string, any>;

/** The keys of the repository's `app-config.yaml` an adopter's portal takes as they are. */
const COPIED_KEYS = ['integrations', 'gitops'] as const;

/**
 * The adopter portal's `app-config.local.yaml`: the GitOps suite's configuration and the GitHub
 * integration from the repository's `app-config.yaml` (README: "app-config.yaml is a complete
 * example"), its catalog with the seeded entities and the template, and guest sign-in from
 * `app-config.development.yaml`. Both point at the sandbox.
 */
export function adopterPortalConfig(options: {
  /** The repository's root folder. */
  repoRoot: string;
  /** The repository's `app-config.yaml`, parsed. */
  appConfig: ConfigObject;
  /** The repository's `app-config.development.yaml`, parsed. */
  developmentConfig: ConfigObject;
}): ConfigObject {
  const { repoRoot, appConfig, developmentConfig } = options;
  const config: ConfigObject = {};
  for (const key of COPIED_KEYS) {
    if (!appConfig[key]) {
      throw new InputError(
        `app-config.yaml has no "${key}", which the adopter portal takes from it`,
      );
    }
    config[key] = appConfig[key];
  }
  // File locations are relative to the backend's folder, packages/backend of this repository.
  const backendDir = resolve(repoRoot, 'packages/backend');
  config.catalog = {
    ...appConfig.catalog,
    locations: (appConfig.catalog?.locations ?? []).map(
      (location: ConfigObject) =>
        location.type === 'file' && !isAbsolute(location.target)
          ? { ...location, target: resolve(backendDir, location.target) }
          : location,
    ),
  };
  if (!developmentConfig.auth?.providers?.guest) {
    throw new InputError(
      'app-config.development.yaml has no auth.providers.guest, which the adopter portal signs in with',
    );
  }
  config.auth = developmentConfig.auth;
  return config;
}
