import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  gitopsApplicationSourcesExtensionPoint,
  gitopsRepoClientsExtensionPoint,
  gitopsVersionLocatorsExtensionPoint,
} from '@backstage-gitops/plugin-gitops-node';
import { MemoryApplications, memorySourceFactory } from './memoryApplications';
import { MemoryGitHost } from './memoryGitHost';
import { releaseJsonLocator } from './releaseJsonLocator';

/**
 * A backend module of the gitops plugin adding one of each extension point: instances of type
 * `memory`, versions in `release.json`, and a Git host in memory.
 */
export function createExampleGitopsModule(options: {
  applications: MemoryApplications;
  gitHost: MemoryGitHost;
}) {
  return createBackendModule({
    pluginId: 'gitops',
    moduleId: 'example-extensions',
    register(env) {
      env.registerInit({
        deps: {
          sources: gitopsApplicationSourcesExtensionPoint,
          locators: gitopsVersionLocatorsExtensionPoint,
          repoClients: gitopsRepoClientsExtensionPoint,
        },
        async init({ sources, locators, repoClients }) {
          sources.addApplicationSourceFactory(
            memorySourceFactory(options.applications),
          );
          locators.addVersionLocator(releaseJsonLocator());
          repoClients.addRepoClientProvider(options.gitHost);
        },
      });
    },
  });
}
