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
 * - `helm-inline-values`: the dotted key under the Application's `helm.valuesObject`.
 *
 * The last three are paths in an Application manifest, in the document the locator names.
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
    default:
      return [];
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
    default:
      return 'unknown locator';
  }
}
