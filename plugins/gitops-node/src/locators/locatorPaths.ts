import { BuiltinVersionLocator } from '@backstage-gitops/plugin-gitops-common';
import { parseYamlKey, YamlPath } from '../yaml';

/**
 * The places in a file a version locator may point at, in order of preference. The editor
 * requires exactly one of them to exist.
 *
 * - `helm-values`: the dotted key, e.g. `image.tag`;
 * - `kustomize-image`: `newTag` of the `images` entry whose `name` (or `newName`) is the image,
 *   or of the only entry with a `newTag` when no image is given;
 * - `chart-revision`: `targetRevision` of the Application's Helm chart source (`spec.source`, or
 *   the one entry of `spec.sources` with a `chart`);
 * - `helm-parameter`: `value` of the Application's `helm.parameters` item with the name;
 * - `helm-inline-values`: the dotted key under the Application's `helm.valuesObject`;
 * - `manifest-image`: the `image` of the named container of the workload's pod spec.
 *
 * The last four are paths in one document of the file, the one the locator names.
 *
 * @public
 */
export function locatorPaths(locator: BuiltinVersionLocator): YamlPath[] {
  switch (locator.type) {
    case 'helm-values':
      return [parseYamlKey(locator.key)];
    case 'kustomize-image':
      return locator.image
        ? [
            ['images', { where: { name: locator.image } }, 'newTag'],
            ['images', { where: { newName: locator.image } }, 'newTag'],
          ]
        : [['images', { where: { newTag: true } }, 'newTag']];
    case 'chart-revision':
      return [
        ['spec', 'source', 'targetRevision'],
        ['spec', 'sources', { where: { chart: true } }, 'targetRevision'],
      ];
    case 'helm-parameter':
      return inHelmSettings([
        'parameters',
        { where: { name: locator.name } },
        'value',
      ]);
    case 'helm-inline-values':
      return inHelmSettings(['valuesObject', ...parseYamlKey(locator.key)]);
    case 'manifest-image':
      return [workloadPodSpec(locator.kind)].map(podSpec => [
        ...podSpec,
        locator.init ? 'initContainers' : 'containers',
        { where: { name: locator.container } },
        'image',
      ]);
    default:
      return [];
  }
}

/** Where a workload of a kind holds its pod spec. */
export function workloadPodSpec(kind: string): YamlPath {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    default:
      return ['spec', 'template', 'spec'];
  }
}

/** A path under `helm` of the Application's source, or of the one of its sources setting it. */
function inHelmSettings(path: YamlPath): YamlPath[] {
  return [
    ['spec', 'source', 'helm', ...path],
    ['spec', 'sources', { where: { helm: true } }, 'helm', ...path],
  ];
}

/** Describes a locator for messages, e.g. `Helm values key image.tag`. @public */
export function describeLocator(locator: BuiltinVersionLocator): string {
  switch (locator.type) {
    case 'helm-values':
      return `Helm values key ${locator.key}`;
    case 'kustomize-image':
      return `Kustomize images[${locator.image ?? ''}].newTag`;
    case 'chart-revision':
      return 'chart targetRevision';
    case 'helm-parameter':
      return `Application helm.parameters ${locator.name}`;
    case 'helm-inline-values':
      return `Application helm.valuesObject / helm.values key ${locator.key}`;
    case 'helm-file-parameter':
      return `Application helm.fileParameters ${locator.name}`;
    case 'manifest-image':
      return `image tag of ${locator.init ? 'init ' : ''}container ${
        locator.container
      } of ${locator.kind} ${locator.workload}`;
    default:
      return 'unknown locator';
  }
}
