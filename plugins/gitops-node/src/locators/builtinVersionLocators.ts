import {
  BuiltinVersionLocator,
  VersionLocator,
} from '@backstage-gitops/plugin-gitops-common';
import { posix } from 'node:path';
import type {
  FoundVersion,
  GitopsVersionLocator,
  VersionField,
  VersionFile,
} from '../extensions/versionLocators';
import type { SlimSource } from '../extensions/applicationSources';
import { formatYamlPath, replaceYamlScalar, YamlLimits } from '../yaml';
import { locateVersion } from './locateVersion';
import { describeLocator } from './locatorPaths';
import {
  KUSTOMIZATION_FILE_NAMES,
  kustomizeOverride,
  kustomizeTag,
  mainSource,
  readPath,
  resolveValueFile,
} from './readVersionFields';

/** The version field of a YAML file at the built-in locator's paths. */
function findYamlVersion(
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

function found(
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

const describe = (locator: VersionLocator) =>
  describeLocator(locator as BuiltinVersionLocator);

/**
 * `targetRevision` of an Application's Helm chart source: the chart version, read from the
 * Application itself and written in its manifest in Git.
 *
 * @public
 */
export function chartRevisionLocator(): GitopsVersionLocator {
  return {
    type: 'chart-revision',
    versionKind: 'chart',
    async read({ sources }) {
      const chart = sources.find(s => s.chart);
      if (!chart) {
        return undefined;
      }
      return {
        version: chart.targetRevision,
        source: {
          repoUrl: chart.repoURL,
          path: chart.chart!,
          ref: chart.targetRevision ?? '',
          locator: { type: 'chart-revision' },
        },
      };
    },
    find: findYamlVersion,
    describe,
  };
}

/**
 * `newTag` of a service's image: the Application's `kustomize.images` override, else the
 * kustomization of a source without Helm value files (the first of kustomize's file names
 * present).
 *
 * @public
 */
export function kustomizeImageLocator(): GitopsVersionLocator {
  return {
    type: 'kustomize-image',
    versionKind: 'image',
    async read({ sources, serviceNames, readFile }) {
      const main = mainSource(sources);
      if (!main) {
        return undefined;
      }
      const override = kustomizeOverride(main, serviceNames);
      if (override || main.valueFiles?.length) {
        return override;
      }
      for (const name of KUSTOMIZATION_FILE_NAMES) {
        const path = posix.join(main.path ?? '', name);
        const file = await readFile(main, path, { optional: true });
        if (file) {
          // like kustomize, the first file name present is the kustomization
          const tag = kustomizeTag(file.document, serviceNames);
          return tag
            ? found(tag.value, file, main, path, {
                type: 'kustomize-image',
                image: tag.image,
              })
            : undefined;
        }
      }
      return undefined;
    },
    find: findYamlVersion,
    describe,
  };
}

/**
 * A dotted key of Helm values (`gitops.versionLocator.helmValuesKey`, e.g. `image.tag`): in the
 * Application's value files, the last that sets it winning, else in `values.yaml` of its path.
 *
 * @public
 */
export function helmValuesLocator(options: {
  key: string;
}): GitopsVersionLocator {
  const { key } = options;
  const locator: BuiltinVersionLocator = { type: 'helm-values', key };
  return {
    type: 'helm-values',
    versionKind: 'image',
    async read({ sources, readFile }) {
      const main = mainSource(sources);
      if (!main) {
        return undefined;
      }
      const valueFiles = main.valueFiles ?? [];
      // later value files override earlier ones, so read from the last
      for (const valueFile of [...valueFiles].reverse()) {
        const { source, path } = resolveValueFile(valueFile, main, sources);
        const file = await readFile(source, path);
        const value = file && readPath(file.document, key);
        if (file && value) {
          return found(value, file, source, path, locator);
        }
      }
      if (valueFiles.length > 0) {
        return undefined;
      }
      const path = posix.join(main.path ?? '', 'values.yaml');
      const file = await readFile(main, path, { optional: true });
      const value = file && readPath(file.document, key);
      return file && value
        ? found(value, file, main, path, locator)
        : undefined;
    },
    find: findYamlVersion,
    describe,
  };
}

/**
 * The built-in locators in the order they are asked: chart revision, Kustomize image, Helm
 * values key.
 *
 * @public
 */
export function builtinVersionLocators(options: {
  helmValuesKey: string;
}): GitopsVersionLocator[] {
  return [
    chartRevisionLocator(),
    kustomizeImageLocator(),
    helmValuesLocator({ key: options.helmValuesKey }),
  ];
}
