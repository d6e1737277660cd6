import { InputError } from '@backstage/errors';
import { codeLines } from './readmeBlocks';

/** A `yarn --cwd <workspace> add <packages...>` command of README's install section. */
export interface YarnAddCommand {
  /** The workspace folder, relative to the portal's root (`packages/backend`). */
  cwd: string;
  /** The packages to add, as yarn takes them. */
  packages: string[];
}

/**
 * README's install commands, with a range (`^<version>`) added to each of this repository's
 * packages: they do not exist in the registry, and `yarn add` asks the registry for the newest
 * version of a package given without one. The portal's `resolutions` map them to the tarballs.
 */
export function readInstallCommands(
  block: string,
  versions: ReadonlyMap<string, string>,
): YarnAddCommand[] {
  return codeLines(block).map(line => {
    const match = /^yarn --cwd (\S+) add((?: [^\s-]\S*)+)$/.exec(line.trim());
    if (!match) {
      throw new InputError(
        `README install command "${line}" is not of the form "yarn --cwd <workspace> add <package>..."; the adopter test runs only such commands`,
      );
    }
    const packages = match[2]
      .trim()
      .split(' ')
      .map(name =>
        versions.has(name) ? `${name}@^${versions.get(name)}` : name,
      );
    return { cwd: match[1], packages };
  });
}
