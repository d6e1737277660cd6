import {
  ApplicationManifestRef,
  BuiltinVersionLocator,
  isVersionRange,
  VersionLocator,
} from '@backstage-gitops/plugin-gitops-common';
import { ConflictError } from '@backstage/errors';
import { posix } from 'node:path';
import type {
  FoundVersion,
  GitopsVersionLocator,
  VersionReadContext,
} from '../extensions/versionLocators';
import type { SlimSource } from '../extensions/applicationSources';
import { found, findYamlVersion } from './foundVersion';
import {
  applicationHelmLocators,
  fileParameterLocator,
  findApplicationVersion,
  helmValuesLocator,
  inApplication,
} from './helmValuesLocator';
import { describeLocator } from './locatorPaths';
import { manifestImageLocator } from './manifestImageLocator';
import { renderedManifestsLocator } from './renderedManifestsLocator';
import {
  isManifestSource,
  isPackagedChart,
  KUSTOMIZATION_FILE_NAMES,
  kustomizeBases,
  kustomizeOverride,
  kustomizeTag,
  mainSource,
} from './readVersionFields';

export { helmValuesLocator } from './helmValuesLocator';
export { manifestImageLocator } from './manifestImageLocator';

/** A file that can hold an Application manifest, as against a chart name. */
const MANIFEST_FILE = /\.(ya?ml|json)$/;

const describe = (locator: VersionLocator) =>
  describeLocator(locator as BuiltinVersionLocator);

/**
 * `targetRevision` of an Application's packaged chart (a `chart` from a Helm repository, or an
 * `oci://` repository with or without `chart`): the chart version, read from the Application
 * itself and written in its manifest in Git (found through its app-of-apps parent). Asked last, so a chart whose values set the
 * service's version (a golden-path chart) shows that, and a third-party chart its version. A
 * range (`4.11.*`, `^1.2.0`) is shown as it is and never promoted.
 *
 * @public
 */
export function chartRevisionLocator(): GitopsVersionLocator {
  return {
    type: 'chart-revision',
    versionKind: 'chart',
    async read(context) {
      const chart = context.sources.find(isPackagedChart);
      if (!chart) {
        return undefined;
      }
      const inChart: FoundVersion = {
        version: chart.targetRevision,
        source: {
          repoUrl: chart.repoURL,
          path: chart.chart ?? posix.basename(chart.repoURL),
          ref: chart.targetRevision ?? '',
          locator: { type: 'chart-revision' },
        },
      };
      if (!chart.targetRevision || isVersionRange(chart.targetRevision)) {
        return inChart;
      }
      const manifest = await inApplication(
        chart.targetRevision,
        chart,
        { type: 'chart-revision' },
        context,
      );
      return isInManifest(manifest.source.locator)
        ? manifest
        : {
            ...inChart,
            source: { ...inChart.source, locator: manifest.source.locator },
          };
    },
    checkWritable(source) {
      if (isInManifest(source.locator)) {
        return;
      }
      if (isVersionRange(source.ref)) {
        throw new ConflictError(
          `The chart targetRevision is the range ${source.ref}, so Argo CD picks the newest chart in it and no single version can be promoted; pin a version or change the range in the Application manifest by hand`,
        );
      }
      if (!MANIFEST_FILE.test(source.path)) {
        const why = (source.locator as ApplicationManifestRef).manifestNotFound;
        throw new ConflictError(
          `The version is the targetRevision ${source.ref} of chart ${
            source.path
          } (${
            source.repoUrl
          }) in the Application itself, and the Application manifest is not in a file the promotion can edit${
            why ? `: ${why}` : '; change targetRevision there by hand'
          }`,
        );
      }
    },
    find: findApplicationVersion,
    describe,
  };
}

/** Whether a version set in the Application was located in its manifest in Git. */
function isInManifest(locator: VersionLocator): boolean {
  return !!(locator as ApplicationManifestRef).application;
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
    async read({ sources, serviceNames, imageRepositories, readFile }) {
      const main = mainSource(sources);
      if (!main || isPackagedChart(main) || isManifestSource(main)) {
        return undefined;
      }
      const service = { serviceNames, imageRepositories };
      const override = kustomizeOverride(main, serviceNames, imageRepositories);
      if (
        override ||
        main.valueFiles?.length ||
        main.helmParameters?.length ||
        main.helmValues
      ) {
        return override;
      }
      return (
        (await readKustomization(main, main.path ?? '', service, readFile)) ?? {
          reason: `no kustomization in ${
            main.path ?? '/'
          } or its bases sets an image of ${(imageRepositories?.length
            ? imageRepositories
            : serviceNames
          ).join(', ')}`,
        }
      );
    },
    checkWritable(source) {
      const locator = source.locator as BuiltinVersionLocator;
      if (locator.type === 'kustomize-image' && locator.inApplication) {
        throw new ConflictError(
          `The version comes from spec.source.kustomize.images (${
            (locator as { image?: string }).image
          }) in the Application itself, which overrides the kustomization, and the Application manifest is not in a file the promotion can edit; change it there by hand, or move the tag to ${posix.join(
            source.path,
            'kustomization.yaml',
          )}`,
        );
      }
      if (locator.type === 'kustomize-image' && locator.digest) {
        throw new ConflictError(
          `${source.path} pins the image ${locator.image} by digest, which the promotion does not write; change the digest by hand, or pin the image by newTag`,
        );
      }
    },
    find: findYamlVersion,
    describe,
  };
}

const MAX_KUSTOMIZE_DEPTH = 4;

/**
 * The `newTag` (or `digest`) of a service's image in the kustomization of a directory (the first
 * of kustomize's file names present), else in its components (the last first) and local bases,
 * whose images the overlay's own `images` would override.
 */
async function readKustomization(
  source: SlimSource,
  dir: string,
  service: { serviceNames: string[]; imageRepositories?: string[] },
  readFile: VersionReadContext['readFile'],
  depth = 0,
): Promise<FoundVersion | undefined> {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const path = posix.join(dir, name);
    const file = await readFile(source, path, { optional: true });
    if (!file) continue;
    const tag = kustomizeTag(
      file.document,
      service.serviceNames,
      service.imageRepositories,
    );
    if (tag) {
      return {
        ...found(tag.value, file, source, path, {
          type: 'kustomize-image',
          image: tag.image,
          ...(tag.digest ? { digest: true } : {}),
        }),
        imageRepository: tag.repository,
      };
    }
    if (depth >= MAX_KUSTOMIZE_DEPTH) return undefined;
    for (const entry of kustomizeBases(file.document)) {
      const base = posix.normalize(posix.join(dir, entry));
      if (base.startsWith('..')) continue;
      const inBase = await readKustomization(
        source,
        base,
        service,
        readFile,
        depth + 1,
      );
      if (inBase) return inBase;
    }
    return undefined;
  }
  return undefined;
}

/**
 * The built-in locators in the order they are asked: Kustomize image, Helm values key (with
 * Argo CD's precedence), the image of a directory source's manifests, chart revision; then those of a version in the Application's own Helm
 * settings, which only describe it and refuse its promotion.
 *
 * @public
 */
export function builtinVersionLocators(options: {
  helmValuesKey: string;
}): GitopsVersionLocator[] {
  return [
    kustomizeImageLocator(),
    helmValuesLocator({ key: options.helmValuesKey }),
    manifestImageLocator(),
    chartRevisionLocator(),
    ...applicationHelmLocators(),
    fileParameterLocator(),
    renderedManifestsLocator(),
  ];
}
