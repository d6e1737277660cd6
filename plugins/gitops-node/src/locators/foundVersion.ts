import {
  BuiltinVersionLocator,
  VersionLocator,
} from '@backstage-gitops/plugin-gitops-common';
import type {
  FoundVersion,
  VersionField,
  VersionFile,
} from '../extensions/versionLocators';
import type { SlimSource } from '../extensions/applicationSources';
import { formatYamlPath, replaceYamlScalar, YamlLimits } from '../yaml';
import { locateVersion } from './locateVersion';

/** The version field of a YAML file at the built-in locator's paths. */
export function findYamlVersion(
  content: string,
  options: { locator: VersionLocator; path: string; yamlLimits?: YamlLimits },
): VersionField {
  const { path: fileName, yamlLimits } = options;
  const locator = options.locator as BuiltinVersionLocator;
  const located = locateVersion(content, locator, fileName, yamlLimits);
  return {
    value: located.location.value,
    field: formatYamlPath(located.path),
    line: located.location.line,
    replace: value =>
      replaceYamlScalar(content, located.path, value, fileName).content,
  };
}

export function found(
  value: string,
  file: VersionFile,
  source: SlimSource,
  path: string,
  locator: BuiltinVersionLocator,
): FoundVersion {
  return {
    version: value,
    source: {
      repoUrl: source.repoURL,
      path,
      ref: source.targetRevision ?? 'HEAD',
      blobSha: file.blobSha,
      url: file.url,
      locator,
    },
  };
}
