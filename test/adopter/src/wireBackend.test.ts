import { addBackendFeatures, snippetFile } from './wireBackend';

const snippet = [
  '// packages/backend/src/index.ts',
  "backend.add(import('a'));",
  'backend.add(',
  "  import('b'),",
  ');',
].join('\n');

describe('addBackendFeatures', () => {
  it('adds the statements before backend.start()', () => {
    const index =
      "const backend = createBackend();\nbackend.add(import('x'));\n\nbackend.start();\n";
    expect(addBackendFeatures(index, snippet)).toBe(
      [
        'const backend = createBackend();',
        "backend.add(import('x'));",
        '',
        "backend.add(import('a'));",
        'backend.add(',
        "  import('b'),",
        ');',
        '',
        'backend.start();',
        '',
      ].join('\n'),
    );
  });

  it('needs backend.start() and a backend.add()', () => {
    expect(() => addBackendFeatures('start();', snippet)).toThrow(
      'has no "backend.start();"',
    );
    expect(() =>
      addBackendFeatures('backend.start();', '// index.ts\nfoo();'),
    ).toThrow('has no backend.add(...) statement');
  });
});

describe('snippetFile', () => {
  it('reads the file from the first line', () => {
    expect(snippetFile(snippet)).toBe('packages/backend/src/index.ts');
  });

  it('asks for the comment when it is missing', () => {
    expect(() => snippetFile("backend.add(import('a'));")).toThrow(
      'does not start with a "// <file>" comment',
    );
  });
});
