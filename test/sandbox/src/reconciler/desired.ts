import path from 'node:path';
import YAML from 'yaml';
import type { GitRepo } from '../github/gitRepo';
import type { KubeObject } from '../kube/store';

/**
 * The images an Application renders at a commit, read the way the sandbox plays
 * Argo CD: Helm `image.repository:image.tag` from the value files (later files
 * win), or Kustomize `images[].newName/newTag` from the overlay's kustomization.
 * Returns undefined when nothing can be read.
 */
export async function desiredImages(
  repo: GitRepo,
  commit: string,
  app: KubeObject,
): Promise<string[] | undefined> {
  const source = app.spec?.source ?? app.spec?.sources?.[0];
  if (!source?.path) return undefined;
  const base = String(source.path).replace(/^\/+|\/+$/g, '');
  const read = async (file: string) => {
    const content = await repo.readFile(commit, path.posix.normalize(file));
    return content ? YAML.parse(content.toString('utf8')) : undefined;
  };
  const valueFiles: string[] = source.helm?.valueFiles ?? [];
  if (valueFiles.length || source.helm) {
    let repository: string | undefined;
    let tag: string | undefined;
    for (const file of ['values.yaml', ...valueFiles]) {
      const values = await read(path.posix.join(base, file)).catch(
        () => undefined,
      );
      if (values?.image?.repository)
        repository = String(values.image.repository);
      if (values?.image?.tag !== undefined) tag = String(values.image.tag);
    }
    return repository && tag ? [`${repository}:${tag}`] : undefined;
  }
  for (const name of [
    'kustomization.yaml',
    'kustomization.yml',
    'Kustomization',
  ]) {
    const kustomization = await read(path.posix.join(base, name)).catch(
      () => undefined,
    );
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
  const values = await read(path.posix.join(base, 'values.yaml')).catch(
    () => undefined,
  );
  if (values?.image?.repository && values.image.tag !== undefined)
    return [`${values.image.repository}:${values.image.tag}`];
  return undefined;
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
