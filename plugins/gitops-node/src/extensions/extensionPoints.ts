import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { ApplicationSourceFactory } from './applicationSources';
import type { GitopsRepoClientProvider } from './repoClients';
import type { GitopsVersionLocator } from './versionLocators';

/** What modules add through {@link gitopsApplicationSourcesExtensionPoint}. @public */
export interface GitopsApplicationSourcesExtensionPoint {
  /**
   * Reads the instances of `factory.type` of `gitops.instances`. One factory per type; `kubernetes`
   * and `argocd` are built in.
   */
  addApplicationSourceFactory(factory: ApplicationSourceFactory): void;
}

/**
 * Adds a kind of instance the GitOps backend reads Applications from: another controller or
 * another access path.
 *
 * @public
 */
export const gitopsApplicationSourcesExtensionPoint =
  createExtensionPoint<GitopsApplicationSourcesExtensionPoint>({
    id: 'gitops.application-sources',
  });

/** What modules add through {@link gitopsVersionLocatorsExtensionPoint}. @public */
export interface GitopsVersionLocatorsExtensionPoint {
  /** Asked after the built-in locators and those added before it. One locator per type. */
  addVersionLocator(locator: GitopsVersionLocator): void;
}

/**
 * Adds a place a desired version can live in a GitOps repository, for reading it into the state
 * and for rewriting it in a promotion.
 *
 * @public
 */
export const gitopsVersionLocatorsExtensionPoint =
  createExtensionPoint<GitopsVersionLocatorsExtensionPoint>({
    id: 'gitops.version-locators',
  });

/** What modules add through {@link gitopsRepoClientsExtensionPoint}. @public */
export interface GitopsRepoClientsExtensionPoint {
  /** Serves the repositories it handles that the built-in GitHub provider does not. */
  addRepoClientProvider(provider: GitopsRepoClientProvider): void;
}

/**
 * Adds a Git host the GitOps backend reads desired versions from and opens promotion pull
 * requests on.
 *
 * @public
 */
export const gitopsRepoClientsExtensionPoint =
  createExtensionPoint<GitopsRepoClientsExtensionPoint>({
    id: 'gitops.repo-clients',
  });
