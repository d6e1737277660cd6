import path from 'node:path';
import YAML from 'yaml';
import type { GitRepo } from '../github/gitRepo';
import type { KubeObject } from '../kube/store';

/** One entry of an Application's `spec.sources` (or its `spec.source`). */
export type AppSource = Record<string, any>;

/**
 * Reads a file of a source (its repository at the revision being rendered); undefined when
 * the source is not a Git repository of the sandbox or the file is missing.
 */
export type SourceFileReader = (
  source: AppSource,
  file: string,
) => Promise<Buffer | undefined>;

/** `spec.sources`, or `[spec.source]`. */
export function appSources(app: KubeObject): AppSource[] {
  const sources = app.spec?.sources;
  if (Array.isArray(sources) && sources.length) return sources;
  return app.spec?.source ? [app.spec.source] : [];
}

/** A `ref:` source without a path or chart only lends its files to `$ref/...` value files. */
export function isRefOnly(source: AppSource): boolean {
  return Boolean(source.ref) && !source.path && !source.chart;
}

/**
 * The images an Application renders at a commit of its single Git source (see
 * {@link renderedImages}).
 */
export async function desiredImages(
  repo: GitRepo,
  commit: string,
  app: KubeObject,
): Promise<string[] | undefined> {
  return renderedImages(app, (_source, file) => repo.readFile(commit, file));
}

/**
 * The images an Application renders, read the way the sandbox plays Argo CD: Helm
 * `image.repository:image.tag` from the chart's `values.yaml`, then `helm.valueFiles` in order
 * (`$ref/...` read from the `ref` source), then `helm.values`, `helm.valuesObject` and
 * `helm.parameters` (Argo CD's precedence); or Kustomize `images[].newName/newTag` from the
 * kustomization. A chart from an OCI or Helm repository has no readable chart values: only the
 * Application's value files and overrides count, as the sandbox hosts no registry. Of several
 * rendered sources, the first that yields an image wins. Returns undefined when nothing can be
 * read.
 */
export async function renderedImages(
  app: KubeObject,
  read: SourceFileReader,
): Promise<string[] | undefined> {
  const sources = appSources(app);
  for (const source of sources.filter(s => !isRefOnly(s))) {
    const images = await sourceImages(source, sources, read);
    if (images) return images;
  }
  return undefined;
}

async function sourceImages(
  source: AppSource,
  sources: AppSource[],
  read: SourceFileReader,
): Promise<string[] | undefined> {
  if (!source.path && !source.chart) return undefined;
  const base = String(source.path ?? '').replace(/^\/+|\/+$/g, '');
  const readYaml = async (from: AppSource, file: string) => {
    const content = await read(from, path.posix.normalize(file)).catch(
      () => undefined,
    );
    return content ? YAML.parse(content.toString('utf8')) : undefined;
  };
  if (source.helm || source.chart || /^oci:\/\//.test(source.repoURL ?? '')) {
    return helmImages(source, sources, base, readYaml);
  }
  for (const name of [
    'kustomization.yaml',
    'kustomization.yml',
    'Kustomization',
  ]) {
    const kustomization = await readYaml(source, path.posix.join(base, name));
    if (!kustomization) continue;
    const images = (kustomization.images ?? [])
      .filter(
        (i: { newTag?: string; digest?: string }) =>
          i.newTag !== undefined || i.digest,
      )
      .map(
        (i: {
          name: string;
          newName?: string;
          newTag?: string;
          digest?: string;
        }) =>
          i.digest
            ? `${i.newName ?? i.name}@${i.digest}`
            : `${i.newName ?? i.name}:${i.newTag}`,
      );
    return images.length ? images : undefined;
  }
  // A plain Helm chart at the path: read its values.yaml.
  return helmImages(source, sources, base, readYaml);
}

async function helmImages(
  source: AppSource,
  sources: AppSource[],
  base: string,
  readYaml: (from: AppSource, file: string) => Promise<any>,
): Promise<string[] | undefined> {
  const helm = source.helm ?? {};
  const layers: any[] = [];
  if (!source.chart) layers.push(await readYaml(source, `${base}/values.yaml`));
  for (const file of (helm.valueFiles ?? []) as string[]) {
    const ref = /^\$([^/]+)\/(.*)$/.exec(file);
    const from = ref ? sources.find(s => s.ref === ref[1]) : source;
    if (!from) continue;
    layers.push(
      await readYaml(from, ref ? ref[2] : path.posix.join(base, file)),
    );
  }
  if (typeof helm.values === 'string') layers.push(YAML.parse(helm.values));
  if (helm.valuesObject) layers.push(helm.valuesObject);
  let repository: string | undefined;
  let tag: string | undefined;
  for (const values of layers) {
    if (values?.image?.repository) repository = String(values.image.repository);
    if (values?.image?.tag !== undefined) tag = String(values.image.tag);
  }
  for (const parameter of (helm.parameters ?? []) as {
    name: string;
    value: string;
  }[]) {
    if (parameter.name === 'image.repository') repository = parameter.value;
    if (parameter.name === 'image.tag') tag = String(parameter.value);
  }
  return repository && tag ? [`${repository}:${tag}`] : undefined;
}

/** Parses `repoURL` (http://host/owner/repo(.git)) into owner and repo. */
export function repoFromUrl(
  repoUrl: string,
): { owner: string; repo: string } | undefined {
  const match = /^[a-z]+:\/\/[^/]+\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(
    repoUrl,
  );
  return match ? { owner: match[1], repo: match[2] } : undefined;
}
