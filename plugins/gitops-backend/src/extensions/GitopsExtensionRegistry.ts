import {
  ApplicationSourceFactory,
  combineRepoClientProviders,
  GitopsApplicationSourcesExtensionPoint,
  GitopsRepoClientFactory,
  GitopsRepoClientProvider,
  GitopsRepoClientsExtensionPoint,
  GitopsVersionLocator,
  GitopsVersionLocatorsExtensionPoint,
  VersionLocators,
} from '@backstage-gitops/plugin-gitops-node';
import { InputError } from '@backstage/errors';

/**
 * What the GitOps extension points collect: source factories by instance type, version locators
 * and repository client providers, each in the order added.
 */
export class GitopsExtensionRegistry
  implements
    GitopsApplicationSourcesExtensionPoint,
    GitopsVersionLocatorsExtensionPoint,
    GitopsRepoClientsExtensionPoint
{
  readonly #sourceFactories: ApplicationSourceFactory[] = [];
  readonly #locators: GitopsVersionLocator[] = [];
  readonly #repoClientProviders: GitopsRepoClientProvider[] = [];

  addApplicationSourceFactory(factory: ApplicationSourceFactory): void {
    if (this.#sourceFactories.some(f => f.type === factory.type)) {
      throw new InputError(
        `A source for gitops.instances of type ${factory.type} is added twice; remove one of the backend modules adding it`,
      );
    }
    this.#sourceFactories.push(factory);
  }

  addVersionLocator(locator: GitopsVersionLocator): void {
    this.#locators.push(locator);
  }

  addRepoClientProvider(provider: GitopsRepoClientProvider): void {
    this.#repoClientProviders.push(provider);
  }

  /** Adds everything another registry collected, after what this one has. */
  addAll(other: GitopsExtensionRegistry): void {
    other.#sourceFactories.forEach(f => this.addApplicationSourceFactory(f));
    other.#locators.forEach(l => this.addVersionLocator(l));
    other.#repoClientProviders.forEach(p => this.addRepoClientProvider(p));
  }

  sourceFactories(): ApplicationSourceFactory[] {
    return [...this.#sourceFactories];
  }

  /** The version locators, asked in the order added. */
  versionLocators(): VersionLocators {
    return new VersionLocators(this.#locators);
  }

  /** One factory over the providers: the first that handles a URL serves it. */
  repoClients(): GitopsRepoClientFactory {
    return combineRepoClientProviders([...this.#repoClientProviders]);
  }
}
