import { posix } from 'node:path';
import type { VersionReadContext } from '../extensions/versionLocators';
import type { SlimSource } from '../extensions/applicationSources';
import { isPackagedChart, resolveValueFile } from './readVersionFields';

/**
 * The values Helm renders one source with, as far as Git tells them.
 *
 * @public
 */
export interface MergedHelmValues {
  /** The merged values. */
  values: Record<string, unknown>;
  /** The files merged, lowest precedence first (the chart's `values.yaml` when readable). */
  files: string[];
  /**
   * Whether the chart's own defaults are missing: a packaged chart (Helm or OCI repository)
   * whose `values.yaml` is not in Git, so keys it sets are unknown.
   */
  chartDefaultsUnknown: boolean;
  /** Keys set by `helm.fileParameters`, whose values are not read. */
  unreadFileParameters: string[];
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Helm's coalescing of two values maps: maps merge, anything else is replaced, `null` deletes. */
function mergeValues(base: Obj, over: Obj): Obj {
  const merged: Obj = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete merged[key];
    else if (isObject(value) && isObject(merged[key])) {
      merged[key] = mergeValues(merged[key] as Obj, value);
    } else merged[key] = value;
  }
  return merged;
}

/** Sets a `--set` style dot path (escaped dots `\.` kept in the key). */
function setPath(values: Obj, path: string, value: unknown) {
  const keys = path.split(/(?<!\\)\./).map(k => k.replace(/\\\./g, '.'));
  let node = values;
  keys.slice(0, -1).forEach(key => {
    if (!isObject(node[key])) node[key] = {};
    node = node[key] as Obj;
  });
  node[keys[keys.length - 1]] = value;
}

/**
 * The merged values of a Helm source, in the precedence `helmValue` documents, lowest first:
 * the chart's `values.yaml` (a chart in a Git path), `helm.valueFiles` in order,
 * `helm.valuesObject` or `helm.values`, then `helm.parameters`. Read through the context's
 * `readFile`, so the caller's caches apply.
 *
 * @public
 */
export async function mergedHelmValues(
  source: SlimSource,
  { sources, readFile }: Pick<VersionReadContext, 'sources' | 'readFile'>,
): Promise<MergedHelmValues> {
  let values: Obj = {};
  const files: string[] = [];
  const packaged = isPackagedChart(source);
  if (!packaged) {
    const path = posix.join(source.path ?? '', 'values.yaml');
    const file = await readFile(source, path, { optional: true });
    if (file && isObject(file.document)) {
      values = mergeValues(values, file.document);
      files.push(path);
    }
  }
  for (const valueFile of source.valueFiles ?? []) {
    const at = resolveValueFile(valueFile, source, sources);
    const file = await readFile(at.source, at.path, {
      optional: source.ignoreMissingValueFiles,
    });
    if (file && isObject(file.document)) {
      values = mergeValues(values, file.document);
      files.push(at.path);
    }
  }
  if (source.helmValues) values = mergeValues(values, source.helmValues);
  for (const parameter of source.helmParameters ?? []) {
    setPath(values, parameter.name, parameter.value);
  }
  return {
    values,
    files,
    chartDefaultsUnknown: packaged,
    unreadFileParameters: (source.helmFileParameters ?? []).map(p => p.name),
  };
}
