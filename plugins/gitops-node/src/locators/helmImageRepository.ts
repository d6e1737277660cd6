import { posix } from 'node:path';
import type { VersionReadContext } from '../extensions/versionLocators';
import type { SlimSource } from '../extensions/applicationSources';
import {
  isPackagedChart,
  readPath,
  resolveValueFile,
} from './readVersionFields';

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

/**
 * The value Helm renders for `key` from one source, by Argo CD's precedence: `helm.parameters` >
 * inline values > value files (the last that sets it) > the chart's `values.yaml` (only for a
 * chart in a Git path). Files are read through `readFile`, which caches them, so the files the
 * version was read from cost nothing more.
 */
async function renderedValue(
  key: string,
  source: SlimSource,
  { sources, readFile }: VersionReadContext,
): Promise<string | undefined> {
  const parameter = source.helmParameters?.find(p => p.name === key);
  if (parameter) return parameter.value;
  const inline = source.helmValues && readPath(source.helmValues, key);
  if (inline) return inline;
  for (const valueFile of [...(source.valueFiles ?? [])].reverse()) {
    const { source: fileSource, path } = resolveValueFile(
      valueFile,
      source,
      sources,
    );
    // as the version was read, so each file is the one read then (a missing one throws)
    const file = await readFile(fileSource, path, {
      optional: source.ignoreMissingValueFiles,
    });
    const value = file && readPath(file.document, key);
    if (value) return value;
  }
  if (isPackagedChart(source)) return undefined;
  const path = posix.join(source.path ?? '', 'values.yaml');
  const file = await readFile(source, path, { optional: true });
  return (file && readPath(file.document, key)) || undefined;
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
