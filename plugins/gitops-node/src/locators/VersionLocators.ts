import { VersionLocator } from '@backstage-gitops/plugin-gitops-common';
import { ConflictError, InputError } from '@backstage/errors';
import type {
  FoundVersion,
  GitopsVersionLocator,
  UnknownVersion,
  VersionReadContext,
} from '../extensions/versionLocators';

/**
 * The version locators in the order they are asked: reads take the first version found, writes
 * go to the locator of the type the read recorded.
 *
 * @public
 */
export class VersionLocators {
  readonly #locators: GitopsVersionLocator[] = [];

  constructor(locators: GitopsVersionLocator[] = []) {
    locators.forEach(locator => this.addVersionLocator(locator));
  }

  /** Adds a locator, asked after those added before it. */
  addVersionLocator(locator: GitopsVersionLocator): void {
    if (this.#locators.some(l => l.type === locator.type)) {
      throw new InputError(
        `A version locator of type ${locator.type} is added twice; remove one of the backend modules adding it`,
      );
    }
    this.#locators.push(locator);
  }

  /** The types of the locators, in order. */
  types(): string[] {
    return this.#locators.map(l => l.type);
  }

  /** The first version a locator finds; else why none found one. */
  async read(
    context: VersionReadContext,
  ): Promise<FoundVersion | UnknownVersion> {
    const reasons: string[] = [];
    for (const locator of this.#locators) {
      const found = await locator.read(context);
      if (found?.source) {
        return found;
      }
      if (found?.reason) {
        reasons.push(found.reason);
      }
    }
    return {
      reason:
        reasons.length > 0
          ? reasons.join('; ')
          : `none of the version locators (${this.types().join(
              ', ',
            )}) found a version in ${context.sources
              .map(s => s.repoURL + (s.path ? `/${s.path}` : ''))
              .join(', ')}`,
    };
  }

  /** The locator that writes a located version; a 409 when none of its type is installed. */
  forLocator(locator: VersionLocator): GitopsVersionLocator {
    const found = this.#locators.find(l => l.type === locator.type);
    if (!found) {
      throw new ConflictError(
        `No version locator of type ${
          locator.type
        } is installed (installed: ${this.types().join(
          ', ',
        )}); add the backend module that provides it`,
      );
    }
    return found;
  }
}
