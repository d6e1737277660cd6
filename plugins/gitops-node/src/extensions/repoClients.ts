import { InputError } from '@backstage/errors';
import type {
  GitopsRepoClient,
  GitopsRepoClientFactory,
  GitopsRepoClientOptions,
} from '../promotion/types';
import { redactUserinfo } from '../repoUrl';

/**
 * Gives repository clients for the Git hosts it handles. Added through
 * `gitopsRepoClientsExtensionPoint`; the first one added that handles a repository URL serves
 * it (GitHub, built in, handles the hosts of `integrations.github`).
 *
 * @public
 */
export interface GitopsRepoClientProvider {
  /** Whether it serves a repository URL (clone or web URL). */
  handles(repoUrl: string): boolean;
  /** The client of one repository it handles. */
  forRepo(
    repoUrl: string,
    options?: GitopsRepoClientOptions,
  ): Promise<GitopsRepoClient>;
}

/**
 * One factory over the providers: a repository is served by the first provider that handles its
 * URL; a URL none handles is refused with the fix.
 *
 * @public
 */
export function combineRepoClientProviders(
  providers: GitopsRepoClientProvider[],
): GitopsRepoClientFactory {
  return {
    forRepo(repoUrl, options) {
      const provider = providers.find(p => p.handles(repoUrl));
      if (!provider) {
        return Promise.reject(
          new InputError(
            `No repository client handles ${redactUserinfo(
              repoUrl,
            )}; add its host under integrations.github in app-config.yaml, or add the backend module of its Git host`,
          ),
        );
      }
      return provider.forRepo(repoUrl, options);
    },
  };
}
