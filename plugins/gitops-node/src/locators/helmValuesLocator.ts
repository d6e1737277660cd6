import {
  BuiltinVersionLocator,
  VersionSource,
} from '@backstage-gitops/plugin-gitops-common';
import { ConflictError } from '@backstage/errors';
import { posix } from 'node:path';
import type {
  FoundVersion,
  GitopsVersionLocator,
  UnknownVersion,
  VersionReadContext,
} from '../extensions/versionLocators';
import type { SlimSource } from '../extensions/applicationSources';
import { describeLocator } from './locatorPaths';
import {
  helmImageRepository,
  readingEachFileOnce,
} from './helmImageRepository';
import { found, findYamlVersion } from './foundVersion';
import {
  isManifestSource,
  isPackagedChart,
  readPath,
  renderedSources,
  resolveValueFile,
} from './readVersionFields';

/** A version set in the Application itself (parameters or inline values), not in a file. */
function inApplication(
  value: string,
  source: SlimSource,
  locator: BuiltinVersionLocator,
): FoundVersion {
  return {
    version: value,
    source: {
      repoUrl: source.repoURL,
      path: source.path ?? source.chart ?? '',
      ref: source.targetRevision ?? 'HEAD',
      locator,
    },
  };
}

/**
 * The value Helm renders for `key` from one source, in Argo CD's order of precedence:
 * `helm.parameters` > `helm.valuesObject` > `helm.values` > `helm.valueFiles` (the last that sets
 * it) > the chart's `values.yaml` (readable only for a chart in a Git path).
 */
async function readHelmSource(
  key: string,
  source: SlimSource,
  { sources, readFile }: VersionReadContext,
): Promise<FoundVersion | UnknownVersion> {
  if (isManifestSource(source)) {
    return {
      reason: `Argo CD renders ${source.path ?? source.repoURL} as a ${
        source.sourceType
      } source, whose manifests are not read for a version; keep the version in Helm values or a kustomization to see and promote it here`,
    };
  }
  if (source.helmOverridesOmitted) {
    return {
      reason: `helm.parameters or helm.values of the Application are too large to keep, so whether they set ${key} is not known; move the version to a value file`,
    };
  }
  const parameter = source.helmParameters?.find(p => p.name === key);
  if (parameter) {
    return inApplication(parameter.value, source, {
      type: 'helm-parameter',
      name: key,
    });
  }
  const inline = source.helmValues && readPath(source.helmValues, key);
  if (inline) {
    return inApplication(inline, source, { type: 'helm-inline-values', key });
  }
  const locator: BuiltinVersionLocator = { type: 'helm-values', key };
  const looked: string[] = [];
  // later value files override earlier ones, so read from the last
  for (const valueFile of [...(source.valueFiles ?? [])].reverse()) {
    const { source: fileSource, path } = resolveValueFile(
      valueFile,
      source,
      sources,
    );
    const file = await readFile(fileSource, path, {
      optional: source.ignoreMissingValueFiles,
    });
    looked.push(file ? path : `${path} (missing, ignored)`);
    const value = file && readPath(file.document, key);
    if (file && value) {
      return found(value, file, fileSource, path, locator);
    }
  }
  if (!isPackagedChart(source)) {
    const path = posix.join(source.path ?? '', 'values.yaml');
    const file = await readFile(source, path, { optional: true });
    looked.push(file ? path : `${path} (missing)`);
    const value = file && readPath(file.document, key);
    if (file && value) {
      return found(value, file, source, path, locator);
    }
  }
  return {
    reason: `no Helm values source sets ${key} (looked in ${
      looked.length > 0 ? looked.join(', ') : 'no value files'
    } of ${source.repoURL})`,
  };
}

function refuseInApplication(source: VersionSource): void {
  const locator = source.locator as BuiltinVersionLocator;
  const where =
    locator.type === 'helm-parameter'
      ? `helm.parameters item ${locator.name}`
      : `helm.valuesObject / helm.values key ${
          (locator as { key: string }).key
        }`;
  throw new ConflictError(
    `The version comes from the ${where} in the Application itself (it overrides every value file), and the Application manifest is not in a file the promotion can edit; change it there by hand, or move the version to a value file`,
  );
}

/**
 * A dotted key of Helm values (`gitops.versionLocator.helmValuesKey`, e.g. `image.tag`), read
 * with Argo CD's precedence: `helm.parameters` over inline values over value files (the last
 * winning, a missing one skipped under `ignoreMissingValueFiles`) over the chart's `values.yaml`.
 * Each rendered source is asked in order (a `ref` source only lends its files). A version in
 * the Application itself is shown but not promoted: the promotion refuses, saying where it is.
 *
 * @public
 */
export function helmValuesLocator(options: {
  key: string;
}): GitopsVersionLocator {
  const { key } = options;
  return {
    type: 'helm-values',
    versionKind: 'image',
    async read(original) {
      const context = readingEachFileOnce(original);
      const reasons: string[] = [];
      for (const source of renderedSources(context.sources)) {
        const result = await readHelmSource(key, source, context);
        if (result.source) {
          const imageRepository = await helmImageRepository(
            key,
            source,
            context,
          );
          return imageRepository ? { ...result, imageRepository } : result;
        }
        reasons.push(result.reason);
      }
      return reasons.length > 0 ? { reason: reasons.join('; ') } : undefined;
    },
    find: findYamlVersion,
    describe: locator => describeLocator(locator as BuiltinVersionLocator),
  };
}

/**
 * The locators of a version in the Application's own Helm settings, which the Helm values
 * locator reads: they describe it and refuse to write it.
 */
export function applicationHelmLocators(): GitopsVersionLocator[] {
  return (['helm-parameter', 'helm-inline-values'] as const).map(type => ({
    type,
    versionKind: 'image' as const,
    read: async () => undefined,
    checkWritable: refuseInApplication,
    find: () => {
      throw new ConflictError(
        `A ${type} version is in the Application, not in a file`,
      );
    },
    describe: locator => describeLocator(locator as BuiltinVersionLocator),
  }));
}
