import {
  BuiltinVersionLocator,
  isServiceImage,
  parseImageReference,
} from '@backstage-gitops/plugin-gitops-common';
import { ConflictError, InputError } from '@backstage/errors';
import type {
  FoundVersion,
  GitopsVersionLocator,
  UnknownVersion,
  VersionFile,
  VersionReadContext,
} from '../extensions/versionLocators';
import type { SlimSource } from '../extensions/applicationSources';
import { findYamlScalar, formatYamlPath } from '../yaml';
import { oneDocument } from './applicationManifest';
import { found } from './foundVersion';
import { describeLocator, workloadPodSpec } from './locatorPaths';
import { locateVersion } from './locateVersion';
import { KUSTOMIZATION_FILE_NAMES, mainSource } from './readVersionFields';

const WORKLOAD_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'Pod',
];
const MAX_MANIFEST_FILES = 100;
// a Docker tag: what may replace the old one inside the image reference
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

interface ContainerImage {
  path: string;
  file: VersionFile;
  kind: string;
  workload: string;
  container: string;
  init: boolean;
  image: string;
}

/** The container images of the workloads of one parsed document. */
function workloadImages(
  document: any,
): Array<Omit<ContainerImage, 'path' | 'file'>> {
  const kind = document?.kind;
  const workload = document?.metadata?.name;
  if (!WORKLOAD_KINDS.includes(kind) || typeof workload !== 'string') {
    return [];
  }
  let podSpec: any = document;
  for (const key of workloadPodSpec(kind)) {
    podSpec = podSpec?.[key as string];
  }
  return (['containers', 'initContainers'] as const).flatMap(list =>
    (Array.isArray(podSpec?.[list]) ? podSpec[list] : [])
      .filter((c: any) => typeof c?.image === 'string')
      .map((c: any) => ({
        kind,
        workload,
        container: String(c.name),
        init: list === 'initContainers',
        image: c.image as string,
      })),
  );
}

/** Whether Argo CD renders a source as plain manifests (or may: no status yet, no tool set). */
function isPlainDirectory(source: SlimSource): boolean {
  if (source.sourceType) {
    return source.sourceType === 'Directory';
  }
  return (
    !source.chart &&
    !source.repoURL.startsWith('oci://') &&
    !source.valueFiles?.length &&
    !source.helmParameters?.length &&
    !source.helmValues &&
    !source.kustomizeImages?.length
  );
}

async function readDirectory(
  source: SlimSource,
  context: VersionReadContext,
): Promise<FoundVersion | UnknownVersion | undefined> {
  const dir = source.path ?? '';
  const files =
    (await context.listFiles!(source, dir, {
      recursive: !!source.directoryRecurse,
    })) ?? [];
  const top = (name: string) => (dir ? `${dir}/${name}` : name);
  if (
    !source.sourceType &&
    ['Chart.yaml', ...KUSTOMIZATION_FILE_NAMES].some(n =>
      files.includes(top(n)),
    )
  ) {
    return undefined;
  }
  const at = `${source.repoURL}/${dir}`;
  const jsonnet = files.filter(f => /\.(jsonnet|libsonnet)$/.test(f));
  if (jsonnet.length > 0) {
    return {
      reason: `Argo CD renders the Jsonnet of ${at} (${jsonnet[0]}), which is not read for a version; keep the version in Helm values or a kustomization to see and promote it here`,
    };
  }
  const manifests = files.filter(f => /\.(ya?ml|json)$/.test(f));
  if (manifests.length > MAX_MANIFEST_FILES) {
    return {
      reason: `${at} has ${manifests.length} manifest files, more than the ${MAX_MANIFEST_FILES} read for a version`,
    };
  }
  const images: ContainerImage[] = [];
  for (const path of manifests) {
    let file: VersionFile | undefined;
    try {
      file = await context.readFile(source, path, { optional: true });
    } catch {
      continue; // not YAML Argo CD would apply either
    }
    for (const document of file ? file.documents ?? [file.document] : []) {
      images.push(
        ...workloadImages(document).map(i => ({ ...i, path, file: file! })),
      );
    }
  }
  // the live side's rule: the entity's image repositories, else the service's names
  const matching = images.filter(i =>
    isServiceImage(i.image, context.serviceNames, {
      imageRepositories: context.imageRepositories,
    }),
  );
  const service = context.imageRepositories?.length
    ? `of ${context.imageRepositories.join(' or ')}`
    : `named ${context.serviceNames.join(' or ')}`;
  const listed = (list: ContainerImage[]) =>
    list
      .slice(0, 3)
      .map(i => `${i.image} in ${i.path}`)
      .join(', ') + (list.length > 3 ? ` and ${list.length - 3} more` : '');
  if (matching.length !== 1) {
    return {
      reason:
        matching.length === 0
          ? `no container image of the manifests in ${at} is ${service} (found: ${
              images.length > 0 ? listed(images) : 'none'
            }); set the gitops/image annotation to the service's image repository`
          : `${
              matching.length
            } container images of the manifests in ${at} are ${service} (${listed(
              matching,
            )}), so which one holds the version is not clear`,
    };
  }
  const [image] = matching;
  const ref = parseImageReference(image.image);
  const locator: BuiltinVersionLocator = {
    type: 'manifest-image',
    kind: image.kind,
    workload: image.workload,
    container: image.container,
    ...(image.init ? { init: true } : {}),
  };
  return found(
    ref.tag ?? ref.digest ?? '',
    image.file,
    source,
    image.path,
    locator,
  );
}

/**
 * The image tag of a service in the plain manifests of a directory source (`Directory`, or a
 * Git path without a chart or kustomization): the one workload container (Deployment,
 * StatefulSet, DaemonSet, Job, CronJob or Pod; init containers too) whose image is the
 * service's, by the same rule as the live version. None or several: unknown, naming the images.
 *
 * @public
 */
export function manifestImageLocator(): GitopsVersionLocator {
  return {
    type: 'manifest-image',
    versionKind: 'image',
    async read(context) {
      const main = mainSource(context.sources);
      if (!main || !context.listFiles || !isPlainDirectory(main)) {
        return undefined;
      }
      return readDirectory(main, context);
    },
    find(content, options) {
      const locator = options.locator as BuiltinVersionLocator;
      if (locator.type !== 'manifest-image') {
        throw new InputError(`Not a manifest image locator: ${locator.type}`);
      }
      const { start, end, text, linesBefore } = oneDocument(
        content,
        options,
        locator.kind,
        locator.workload,
      );
      const where = `${options.path} (${locator.kind} ${locator.workload})`;
      const located = locateVersion(text, locator, where);
      const image = located.location.value;
      const ref = parseImageReference(image);
      if (!ref.tag || ref.digest) {
        throw new ConflictError(
          `${where} pins ${image} ${
            ref.digest ? 'by digest' : 'without a tag'
          }, which the promotion does not write; change it by hand`,
        );
      }
      return {
        value: ref.tag,
        field: `${formatYamlPath(located.path)} of ${locator.kind} ${
          locator.workload
        }`,
        line: linesBefore + located.location.line,
        replace(value) {
          if (!TAG.test(value)) {
            throw new InputError(
              `Refusing to write ${JSON.stringify(value)} as an image tag`,
            );
          }
          // the tag ends the image reference, before a closing quote
          const tagEnd =
            located.location.range[1] -
            (located.location.style === 'plain' ? 0 : 1);
          const tagStart = tagEnd - ref.tag!.length;
          const edited = text.slice(0, tagStart) + value + text.slice(tagEnd);
          const after = findYamlScalar(edited, located.path, where);
          if (after.value !== `${image.slice(0, -ref.tag!.length)}${value}`) {
            throw new ConflictError(
              `Could not write ${value} to ${where} without changing anything else`,
            );
          }
          return content.slice(0, start) + edited + content.slice(end);
        },
      };
    },
    describe: locator => describeLocator(locator as BuiltinVersionLocator),
  };
}
