import { posix } from 'node:path';
import type {
  VersionFile,
  VersionReadContext,
} from '../extensions/versionLocators';
import type { SlimSource } from '../extensions/applicationSources';
import {
  isPackagedChart,
  readPath,
  resolveValueFile,
} from './readVersionFields';

/** A file of a source that holds a Helm value. */
interface InFile {
  file: VersionFile;
  source: SlimSource;
  path: string;
}

/** Where the value Helm renders for a key of one source comes from, and the value. */
export type HelmValue =
  /** `helm.fileParameters`: the file's whole content; `value` absent when it is not plain. */
  | ({ from: 'file-parameter'; value?: string } & InFile)
  /** `helm.parameters`, or the inline values (`valuesObject`, else `values`). */
  | { from: 'parameter' | 'inline'; value: string }
  /** A value file (the last that sets the key), or the chart's own `values.yaml`. */
  | ({ from: 'value-file' | 'chart-values'; value: string } & InFile)
  /** Nothing sets the key: the files looked in, for the reason. */
  | { from: 'none'; looked: string[] };

/**
 * The value Helm renders for `key` from one source, in Argo CD's order of precedence:
 * `helm.fileParameters` (Helm applies `--set-file` after `--set`) > `helm.parameters` >
 * `helm.valuesObject` / `helm.values` > `helm.valueFiles` (the last that sets it) > the chart's
 * `values.yaml` (readable only for a chart in a Git path). The one place that knows Helm's
 * precedence: the version and the image repository beside it are both read through it.
 */
export async function helmValue(
  key: string,
  source: SlimSource,
  { sources, readFile }: VersionReadContext,
): Promise<HelmValue> {
  const fileParameter = source.helmFileParameters?.find(p => p.name === key);
  if (fileParameter) {
    const at = resolveValueFile(fileParameter.path, source, sources);
    const file = (await readFile(at.source, at.path))!;
    const content = file?.document;
    return {
      from: 'file-parameter',
      file,
      ...at,
      ...(typeof content === 'string' || typeof content === 'number'
        ? { value: String(content) }
        : {}),
    };
  }
  const parameter = source.helmParameters?.find(p => p.name === key);
  if (parameter) return { from: 'parameter', value: parameter.value };
  const inline = source.helmValues && readPath(source.helmValues, key);
  if (inline) return { from: 'inline', value: inline };
  const looked: string[] = [];
  // later value files override earlier ones, so read from the last
  for (const valueFile of [...(source.valueFiles ?? [])].reverse()) {
    const at = resolveValueFile(valueFile, source, sources);
    const file = await readFile(at.source, at.path, {
      optional: source.ignoreMissingValueFiles,
    });
    looked.push(file ? at.path : `${at.path} (missing, ignored)`);
    const value = file && readPath(file.document, key);
    if (file && value) return { from: 'value-file', value, file, ...at };
  }
  if (!isPackagedChart(source)) {
    const path = posix.join(source.path ?? '', 'values.yaml');
    const file = await readFile(source, path, { optional: true });
    looked.push(file ? path : `${path} (missing)`);
    const value = file && readPath(file.document, key);
    if (file && value) {
      return { from: 'chart-values', value, file, source, path };
    }
  }
  return { from: 'none', looked };
}
