import type { VersionReadContext } from '../extensions/versionLocators';
import type { SlimSource } from '../extensions/applicationSources';
import { helmValue } from './helmValue';

/**
 * A read context that fetches each file once, whatever the number of keys read from it: the
 * repository beside the version key is read from the files the version was. Whether a read is
 * optional is not part of the key; a file that is a value file and the chart's `values.yaml` too
 * is read as the value file, first.
 */
export function readingEachFileOnce(
  context: VersionReadContext,
): VersionReadContext {
  const reads = new Map<string, ReturnType<VersionReadContext['readFile']>>();
  return {
    ...context,
    readFile: (source, path, options) => {
      const key = JSON.stringify([
        source.repoURL,
        source.revision,
        source.targetRevision,
        path,
      ]);
      let pending = reads.get(key);
      if (!pending) {
        pending = context.readFile(source, path, options);
        reads.set(key, pending);
      }
      return pending;
    },
  };
}

/** The value Helm renders for `key` from one source (see {@link helmValue}). */
async function renderedValue(
  key: string,
  source: SlimSource,
  context: VersionReadContext,
): Promise<string | undefined> {
  const value = await helmValue(key, source, context);
  return value.from === 'none' ? undefined : value.value;
}

/**
 * The image repository beside a Helm version key (`image.repository` next to `image.tag`, with
 * `image.registry` in front when the chart splits it as Bitnami's do), as Helm renders it; the
 * live side chooses the service's image by it when the image is not named after the service.
 * Undefined when the key has no parent or no repository is set beside it; a failed read only
 * loses the hint, never the version.
 */
export async function helmImageRepository(
  key: string,
  source: SlimSource,
  context: VersionReadContext,
): Promise<string | undefined> {
  const dot = key.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const parent = key.slice(0, dot);
  try {
    const repository = await renderedValue(
      `${parent}.repository`,
      source,
      context,
    );
    if (!repository) return undefined;
    const registry = await renderedValue(`${parent}.registry`, source, context);
    return registry ? `${registry}/${repository}` : repository;
  } catch {
    return undefined;
  }
}
