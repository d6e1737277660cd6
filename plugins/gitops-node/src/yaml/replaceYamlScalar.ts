import { ConflictError, InputError } from '@backstage/errors';
import { parse } from 'yaml';
import { findYamlScalar, YamlScalarLocation } from './findYamlScalar';
import { formatYamlPath, YamlPath } from './yamlPath';

/** Result of {@link replaceYamlScalar}. @public */
export interface YamlScalarEdit {
  /** The whole file with only the value's characters replaced. */
  content: string;
  before: YamlScalarLocation;
  /** The value's new source text, quotes included. */
  written: string;
  /**
   * The value was plain but the new one would read back as something else than the same string
   * (a number such as `1.10`, `true`, `null`), so it was written double-quoted.
   */
  quoted: boolean;
  changed: boolean;
}

// Characters a version may consist of; anything else is refused before it can reach a file.
const SAFE_VALUE = /^[A-Za-z0-9._:@+-]+$/;

/**
 * Replaces one scalar of a YAML file by splicing the source text: everything outside the value
 * (comments, key order, quoting, blank lines, anchors, line endings, other documents) stays
 * byte-identical. The value keeps its quoting style; a plain value that would not read back as
 * the same string is double-quoted instead.
 *
 * @public
 */
export function replaceYamlScalar(
  source: string,
  path: YamlPath,
  newValue: string,
  fileName = 'the file',
): YamlScalarEdit {
  if (!SAFE_VALUE.test(newValue)) {
    throw new InputError(
      `Refusing to write ${JSON.stringify(
        newValue,
      )} to ${fileName}: a version may only contain letters, digits and . _ - : @ +`,
    );
  }
  const before = findYamlScalar(source, path, fileName);
  if (before.value === newValue) {
    return {
      content: source,
      before,
      written: source.slice(...before.range),
      quoted: false,
      changed: false,
    };
  }

  const render = (quote: string) => `${quote}${newValue}${quote}`;
  const quote = { plain: '', 'single-quoted': "'", 'double-quoted': '"' }[
    before.style
  ];
  let written = render(quote);
  let content = splice(source, before, written);
  let after = readBack(content, path, fileName);
  let quoted = false;
  if (before.style === 'plain' && !readsAs(after, newValue)) {
    written = render('"');
    content = splice(source, before, written);
    after = readBack(content, path, fileName);
    quoted = true;
  }
  if (!readsAs(after, newValue) || after.range[0] !== before.range[0]) {
    throw new ConflictError(
      `Could not write ${newValue} to ${formatYamlPath(
        path,
      )} in ${fileName} without changing anything else`,
    );
  }
  return { content, before, written, quoted, changed: true };
}

function splice(source: string, at: YamlScalarLocation, text: string): string {
  return source.slice(0, at.range[0]) + text + source.slice(at.range[1]);
}

function readBack(content: string, path: YamlPath, fileName: string) {
  return findYamlScalar(content, path, fileName);
}

function readsAs(location: YamlScalarLocation, value: string): boolean {
  // a plain value's `value` is its source text; it must also resolve to a string, not 1.1 or true
  if (location.style !== 'plain') {
    return location.value === value;
  }
  return location.value === value && resolvesToString(value);
}

/**
 * Helm reads values with a YAML 1.1 parser, Argo CD and Kustomize with YAML 1.2: a plain value
 * must stay a string under both (`1.10`, `yes` and `1:20` do not).
 */
function resolvesToString(plain: string): boolean {
  return (['1.1', '1.2'] as const).every(version => {
    try {
      return parse(plain, { version }) === plain;
    } catch {
      return false;
    }
  });
}
