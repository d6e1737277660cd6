import { InputError } from '@backstage/errors';

/**
 * The content of the fenced code block that follows `<!-- adopter-e2e: <name> -->` in a
 * Markdown document: how README marks the snippets the adopter test runs, so that changing the
 * README changes what the test does.
 */
export function readMarkedBlock(markdown: string, name: string): string {
  const marker = `<!-- adopter-e2e: ${name} -->`;
  const parts = markdown.split(marker);
  if (parts.length !== 2) {
    throw new InputError(
      `Expected exactly one "${marker}" in the README, found ${
        parts.length - 1
      }; put it on the line before the fenced block the adopter test follows`,
    );
  }
  const match = /^\s*\n(`{3,})[^\n]*\n([\s\S]*?)\n\1[ \t]*(\n|$)/.exec(
    parts[1],
  );
  if (!match) {
    throw new InputError(
      `"${marker}" in the README is not followed by a fenced code block`,
    );
  }
  return match[2];
}

/** The lines of a code block that are neither empty nor `#` or `//` comments. */
export function codeLines(block: string): string[] {
  return block.split('\n').filter(line => {
    const code = line.trim();
    return code && !code.startsWith('#') && !code.startsWith('//');
  });
}
