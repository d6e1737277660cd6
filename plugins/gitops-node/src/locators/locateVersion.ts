import { BuiltinVersionLocator } from '@backstage-gitops/plugin-gitops-common';
import { ConflictError } from '@backstage/errors';
import {
  checkYamlLimits,
  findOptionalYamlScalar,
  formatYamlPath,
  YamlPath,
  YamlLimits,
  YamlScalarLocation,
} from '../yaml';
import { describeLocator, locatorPaths } from './locatorPaths';

/** The version field a locator found in a file. @public */
export interface LocatedVersion {
  path: YamlPath;
  location: YamlScalarLocation;
}

/**
 * Finds the one version field of a file a locator points at. Refuses (409) when none or more
 * than one of the locator's candidate places exist, or when the file exceeds the YAML limits
 * (checked before it is parsed).
 *
 * @public
 */
export function locateVersion(
  content: string,
  locator: BuiltinVersionLocator,
  fileName: string,
  limits?: YamlLimits,
): LocatedVersion {
  checkYamlLimits(content, fileName, limits);
  const found: LocatedVersion[] = [];
  const failures: string[] = [];
  for (const path of locatorPaths(locator)) {
    const location = findOptionalYamlScalar(content, path, fileName);
    if (!location) {
      failures.push(formatYamlPath(path));
    } else if (!found.some(f => f.location.range[0] === location.range[0])) {
      found.push({ path, location });
    }
  }
  if (found.length === 0) {
    throw new ConflictError(
      `${fileName} has no ${describeLocator(
        locator,
      )} (looked for ${failures.join(
        ' and ',
      )}); keys are never created, add it by hand first`,
    );
  }
  if (found.length > 1) {
    throw new ConflictError(
      `${describeLocator(locator)} is ambiguous in ${fileName}: ${found
        .map(f => formatYamlPath(f.path))
        .join(' and ')} both exist`,
    );
  }
  return found[0];
}
