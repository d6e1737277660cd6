import {
  ApplicationManifestRef,
  BuiltinVersionLocator,
  VersionLocator,
  VersionSource,
} from '@backstage-gitops/plugin-gitops-common';
import { ConflictError } from '@backstage/errors';
import type {
  FoundVersion,
  GitopsVersionLocator,
  UnknownVersion,
  VersionField,
  VersionReadContext,
} from '../extensions/versionLocators';
import type { SlimSource } from '../extensions/applicationSources';
import type { YamlLimits } from '../yaml';
import {
  findApplicationManifest,
  findInApplicationDocument,
} from './applicationManifest';
import { describeLocator } from './locatorPaths';
import {
  helmImageRepository,
  readingEachFileOnce,
} from './helmImageRepository';
import { found, findYamlVersion } from './foundVersion';
import { helmValue } from './helmValue';
import { isManifestSource, renderedSources } from './readVersionFields';

/**
 * A version set in the Application itself (parameters or inline values, or the chart's
 * `targetRevision`): located in the Application's manifest in Git when its app-of-apps parent
 * holds it as a plain file, else recorded with why not, which a promotion then says.
 */
export async function inApplication(
  value: string | undefined,
  source: SlimSource,
  locator: BuiltinVersionLocator,
  context: VersionReadContext,
): Promise<FoundVersion> {
  const manifest = await findApplicationManifest(
    context,
    describeInApplication(locator),
  );
  if ('path' in manifest) {
    return found(value ?? '', manifest.file, manifest.source, manifest.path, {
      ...locator,
      application: context.application!.name,
    } as BuiltinVersionLocator);
  }
  return {
    version: value,
    source: {
      repoUrl: source.repoURL,
      path: source.path ?? source.chart ?? '',
      ref: source.targetRevision ?? 'HEAD',
      locator: {
        ...locator,
        manifestNotFound: manifest.reason,
      } as BuiltinVersionLocator,
    },
  };
}

/** Where in the Application a version is set, for messages. */
function describeInApplication(locator: BuiltinVersionLocator): string {
  switch (locator.type) {
    case 'helm-parameter':
      return `the helm.parameters item ${locator.name}`;
    case 'helm-inline-values':
      return `the helm.valuesObject / helm.values key ${locator.key}`;
    default:
      return 'the chart targetRevision';
  }
}

/**
 * The version Helm renders for `key` from one source (see {@link helmValue} for the precedence),
 * with the locator of where it comes from, or why there is none.
 */
async function readHelmSource(
  key: string,
  source: SlimSource,
  context: VersionReadContext,
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
  const value = await helmValue(key, source, context);
  switch (value.from) {
    case 'file-parameter':
      return value.value === undefined
        ? {
            reason: `helm.fileParameters sets ${key} from ${value.path}, which does not hold a plain value`,
          }
        : found(value.value, value.file, value.source, value.path, {
            type: 'helm-file-parameter',
            name: key,
          });
    case 'parameter':
      return inApplication(
        value.value,
        source,
        { type: 'helm-parameter', name: key },
        context,
      );
    case 'inline':
      return inApplication(
        value.value,
        source,
        { type: 'helm-inline-values', key },
        context,
      );
    case 'value-file':
    case 'chart-values':
      return found(value.value, value.file, value.source, value.path, {
        type: 'helm-values',
        key,
      });
    default:
      return {
        reason: `no Helm values source sets ${key} (looked in ${
          value.looked.length > 0 ? value.looked.join(', ') : 'no value files'
        } of ${source.repoURL})`,
      };
  }
}

/**
 * Refuses a version set in the Application itself whose manifest was not found in Git, saying
 * where the version comes from, which parent was searched and what to change by hand.
 */
export function refuseInApplication(source: VersionSource): void {
  const locator = source.locator as BuiltinVersionLocator &
    ApplicationManifestRef;
  if (locator.application) {
    return;
  }
  throw new ConflictError(
    `The version comes from ${describeInApplication(
      locator,
    )} in the Application itself (it overrides every value file), and the Application manifest is not in a file the promotion can edit: ${
      locator.manifestNotFound ??
      'it was not searched in Git; change it there by hand, or move the version to a value file'
    }`,
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
      // with a file listing, the directory sources' manifests are read by manifestImageLocator
      const rendered = renderedSources(context.sources).filter(
        s => !(context.listFiles && s.sourceType === 'Directory'),
      );
      for (const [index, source] of rendered.entries()) {
        const result = await readHelmSource(key, source, context);
        if (result.source) {
          const noted = await noteOtherSetting(
            result,
            key,
            rendered.slice(index + 1),
            {
              ...context,
              // only whether another source sets it matters, not where its manifest is
              application: undefined,
            },
          );
          const imageRepository = await helmImageRepository(
            key,
            source,
            context,
          );
          return imageRepository ? { ...noted, imageRepository } : noted;
        }
        reasons.push(result.reason);
      }
      return reasons.length > 0 ? { reason: reasons.join('; ') } : undefined;
    },
    checkWritable(source) {
      const locator = source.locator as BuiltinVersionLocator;
      if (locator.type === 'helm-values' && locator.alsoSetIn) {
        throw new ConflictError(
          `${locator.key} is set in ${source.repoUrl}/${source.path} and also by ${locator.alsoSetIn}, another source the Application renders, so no single place holds the version; keep the key in one source, then promote again`,
        );
      }
    },
    find: findYamlVersion,
    describe: locator => describeLocator(locator as BuiltinVersionLocator),
  };
}

/**
 * The version one source sets, with a note (and a refusal to promote it) when a later rendered
 * source sets the key too: Argo CD renders both, so the service runs two values.
 */
async function noteOtherSetting(
  first: FoundVersion,
  key: string,
  later: SlimSource[],
  context: VersionReadContext,
): Promise<FoundVersion> {
  for (const source of later) {
    const other = await readHelmSource(key, source, context);
    if (other.source) {
      const where = `${other.source.repoUrl}/${other.source.path}`;
      const reason = `${key} is also set by ${where} (${other.version}), another source of the Application; the first is shown, and a promotion is refused until one source sets it`;
      const locator = first.source.locator as BuiltinVersionLocator;
      return {
        ...first,
        reason,
        source: {
          ...first.source,
          // a version in the Application itself is refused with the note as the reason
          locator:
            locator.type === 'helm-values'
              ? { ...locator, alsoSetIn: where }
              : ({
                  ...locator,
                  application: undefined,
                  manifestNotFound: reason,
                } as BuiltinVersionLocator),
        },
      };
    }
  }
  return first;
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
    find: findApplicationVersion,
    describe: locator => describeLocator(locator as BuiltinVersionLocator),
  }));
}

/**
 * The locator of a value Helm reads from a file (`helm.fileParameters`): read by the Helm values
 * locator; the promotion refuses it, since the file is the value alone rather than a YAML field.
 */
export function fileParameterLocator(): GitopsVersionLocator {
  return {
    type: 'helm-file-parameter',
    versionKind: 'image',
    read: async () => undefined,
    checkWritable(source) {
      const { name } = source.locator as { name: string };
      throw new ConflictError(
        `The version comes from ${source.path}, the file helm.fileParameters reads ${name} from (it overrides helm.parameters and every value file); the promotion does not rewrite whole files: change ${source.path} by hand, or move the version to a value file`,
      );
    },
    find: () => {
      throw new ConflictError(
        'A helm-file-parameter version is a whole file, not a field of it',
      );
    },
    describe: locator => describeLocator(locator as BuiltinVersionLocator),
  };
}

/**
 * The version field of a version set in an Application manifest: in the Application document
 * the locator names, else (a file holding one Application) anywhere in the file.
 */
export function findApplicationVersion(
  content: string,
  options: { locator: VersionLocator; path: string; yamlLimits?: YamlLimits },
): VersionField {
  const { application } = options.locator as ApplicationManifestRef;
  return application
    ? findInApplicationDocument(content, options, application)
    : findYamlVersion(content, options);
}
