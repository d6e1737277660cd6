/**
 * A unified diff (`diff -u` format, 3 lines of context) of one contiguous change, which is what
 * a version edit is. Line endings are not shown.
 *
 * @public
 */
export function unifiedDiff(
  path: string,
  before: string,
  after: string,
): string {
  const a = splitLines(before);
  const b = splitLines(after);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) {
    prefix++;
  }
  if (prefix === a.length && prefix === b.length) {
    return '';
  }
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  ) {
    suffix++;
  }
  const context = 3;
  const start = Math.max(0, prefix - context);
  const aEnd = Math.min(a.length, a.length - suffix + context);
  const bEnd = Math.min(b.length, b.length - suffix + context);
  const lines = [
    `--- a/${path}`,
    `+++ b/${path}`,
    `@@ -${range(start, aEnd - start)} +${range(start, bEnd - start)} @@`,
    ...a.slice(start, prefix).map(line => ` ${line}`),
    ...a.slice(prefix, a.length - suffix).map(line => `-${line}`),
    ...b.slice(prefix, b.length - suffix).map(line => `+${line}`),
    ...a.slice(a.length - suffix, aEnd).map(line => ` ${line}`),
  ];
  return `${lines.join('\n')}\n`;
}

function splitLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  return lines;
}

function range(start: number, count: number): string {
  return count === 1
    ? `${start + 1}`
    : `${count === 0 ? start : start + 1},${count}`;
}
