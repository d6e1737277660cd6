import {
  isServiceImage,
  parseImageReference,
} from '@backstage-gitops/plugin-gitops-common';
import { posix } from 'node:path';
import type { FoundVersion } from '../extensions/versionLocators';
import type { SlimSource } from '../extensions/applicationSources';

/** The file names kustomize recognises as a kustomization, in the order it looks for them. */
export const KUSTOMIZATION_FILE_NAMES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/**
 * The sources Argo CD renders: all but those only named by `ref` for their value files (a `ref`
 * source without a path or chart).
 */
export function renderedSources(sources: SlimSource[]): SlimSource[] {
  const rendered = sources.filter(s => !(s.ref && !s.path && !s.chart));
  return rendered.length > 0 ? rendered : sources.slice(0, 1);
}

/** The source whose path holds the manifests: the first rendered with a path, else the first. */
export function mainSource(sources: SlimSource[]): SlimSource | undefined {
  const rendered = renderedSources(sources);
  return rendered.find(s => s.path) ?? rendered[0];
}

/**
 * Whether a source is a chart from a Helm repository or an OCI registry (not a Git path), whose
 * version is its `targetRevision`: a `chart` name, or an `oci://` repository URL.
 *
 * @public
 */
export function isPackagedChart(source: SlimSource): boolean {
  return !!source.chart || source.repoURL.startsWith('oci://');
}

/** The value at a dot path of a parsed YAML document, when it is a scalar. */
export function readPath(
  document: unknown,
  keyPath: string,
): string | undefined {
  let value: any = document;
  for (const key of keyPath.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = value[key];
  }
  return value === undefined || value === null || typeof value === 'object'
    ? undefined
    : String(value);
}

/** The source and path a Helm value file names (`$ref/path` names another source). */
export function resolveValueFile(
  file: string,
  main: SlimSource,
  sources: SlimSource[],
): { source: SlimSource; path: string } {
  const ref = /^\$([^/]+)\/(.*)$/.exec(file);
  if (ref) {
    const source = sources.find(s => s.ref === ref[1]) ?? main;
    return { source, path: posix.normalize(ref[2]) };
  }
  return {
    source: main,
    path: posix.normalize(posix.join(main.path ?? '', file)),
  };
}

/** The tag a `kustomize.images` override of the Application sets for one of the services. */
export function kustomizeOverride(
  source: SlimSource,
  serviceNames: string[],
  imageRepositories?: string[],
): FoundVersion | undefined {
  const isService = (image: string) =>
    isServiceImage(image, serviceNames, { imageRepositories });
  for (const image of source.kustomizeImages ?? []) {
    const target = image.includes('=') ? image.split('=')[1] : image;
    const ref = parseImageReference(target);
    const original = image.includes('=')
      ? parseImageReference(image.split('=')[0])
      : ref;
    if (ref.tag && (isService(target) || isService(image.split('=')[0]))) {
      return {
        version: ref.tag,
        imageRepository: ref.registry
          ? `${ref.registry}/${ref.repository}`
          : ref.repository,
        source: {
          repoUrl: source.repoURL,
          path: source.path ?? '',
          ref: source.targetRevision ?? 'HEAD',
          locator: {
            type: 'kustomize-image',
            image: original.repository,
            inApplication: true,
          },
        },
      };
    }
  }
  return undefined;
}

/**
 * The local directories a kustomization builds on, the ones applied last first: `components`
 * (the last first), then `resources` and `bases` that are directories (no file extension, no
 * URL).
 */
export function kustomizeBases(document: any): string[] {
  const list = (value: unknown) =>
    Array.isArray(value)
      ? value.filter((v): v is string => typeof v === 'string')
      : [];
  return [
    ...list(document?.components).reverse(),
    ...list(document?.resources),
    // the deprecated name of directory resources, still in argocd-example-apps
    ...list(document?.bases),
  ].filter(entry => !/:\/\/|^[\w.-]+\.\w+\/|\.(ya?ml|json)$/.test(entry));
}

/**
 * The `newTag` of a kustomization's image of one of the services (or of its only image), or its
 * `digest`, which kustomize uses over the tag.
 */
export function kustomizeTag(
  document: any,
  serviceNames: string[],
  imageRepositories?: string[],
):
  | { value: string; image: string; repository: string; digest?: boolean }
  | undefined {
  const images: any[] = Array.isArray(document?.images) ? document.images : [];
  const named = (i: any) =>
    [i?.name, i?.newName]
      .filter((n): n is string => typeof n === 'string')
      .some(n => isServiceImage(n, serviceNames, { imageRepositories }));
  const image =
    images.find(named) ?? (images.length === 1 ? images[0] : undefined);
  // kustomize renames the image to newName, so that is the repository the pods run
  const repository = String(image?.newName ?? image?.name);
  if (image?.digest) {
    return {
      value: String(image.digest),
      image: String(image.name),
      repository,
      digest: true,
    };
  }
  if (!image?.newTag) return undefined;
  return { value: String(image.newTag), image: String(image.name), repository };
}

/**
 * Whether Argo CD renders a source as plain manifests, Jsonnet or a config management plugin,
 * where neither Helm values nor a kustomization set the version.
 */
export function isManifestSource(source: SlimSource): boolean {
  return source.sourceType === 'Directory' || source.sourceType === 'Plugin';
}
