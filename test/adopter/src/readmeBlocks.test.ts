import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readInstallCommands } from './installCommands';
import { codeLines, readMarkedBlock } from './readmeBlocks';
import { snippetFile } from './wireBackend';

const markdown = [
  'Intro',
  '<!-- adopter-e2e: install -->',
  '',
  '```sh',
  '# a comment',
  'yarn --cwd packages/app add a',
  '```',
  '',
  '```sh',
  'not this one',
  '```',
].join('\n');

describe('readMarkedBlock', () => {
  it('returns the fenced block after the marker', () => {
    expect(readMarkedBlock(markdown, 'install')).toBe(
      '# a comment\nyarn --cwd packages/app add a',
    );
  });

  it('says which marker is missing', () => {
    expect(() => readMarkedBlock(markdown, 'backend')).toThrow(
      'Expected exactly one "<!-- adopter-e2e: backend -->" in the README, found 0',
    );
  });

  it('rejects a marker that is not followed by a block', () => {
    expect(() =>
      readMarkedBlock('<!-- adopter-e2e: x -->\n\nprose\n```\ny\n```', 'x'),
    ).toThrow('is not followed by a fenced code block');
  });
});

describe('codeLines', () => {
  it('drops empty and comment lines and keeps indentation', () => {
    expect(codeLines('// file\n\na(\n  b,\n);\n  # c')).toEqual([
      'a(',
      '  b,',
      ');',
    ]);
  });
});

describe("the repository's README", () => {
  const readme = readFileSync(resolve(__dirname, '../../../README.md'), 'utf8');

  it('has install commands the adopter test can run', () => {
    const commands = readInstallCommands(
      readMarkedBlock(readme, 'install'),
      new Map(),
    );
    expect(commands.map(c => c.cwd)).toEqual([
      'packages/app',
      'packages/backend',
    ]);
  });

  it('has a backend snippet that names its file', () => {
    expect(snippetFile(readMarkedBlock(readme, 'backend'))).toBe(
      'packages/backend/src/index.ts',
    );
  });
});
