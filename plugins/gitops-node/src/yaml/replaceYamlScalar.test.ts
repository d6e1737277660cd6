import { ConflictError, InputError } from '@backstage/errors';
import { replaceYamlScalar } from './replaceYamlScalar';
import { unifiedDiff } from './unifiedDiff';

describe('replaceYamlScalar refusals', () => {
  const cases: Array<[string, string, string, RegExp]> = [
    [
      'a missing key',
      'image:\n  repository: a\n',
      'image.tag',
      /has no image\.tag.*not created/,
    ],
    [
      'a missing parent',
      'service:\n  port: 80\n',
      'image.tag',
      /has no image\.tag/,
    ],
    ['an empty file', '', 'image.tag', /has no image\.tag/],
    [
      'the key in two documents',
      'image:\n  tag: 1\n---\nimage:\n  tag: 2\n',
      'image.tag',
      /ambiguous: it matches 2 values/,
    ],
    [
      'an anchor shared by two aliases',
      'x: &img\n  tag: 1.0.0\na:\n  image: *img\nb:\n  image: *img\n',
      'a.image.tag',
      /shared through anchor &img/,
    ],
    [
      'an anchored value aliased elsewhere',
      'image:\n  tag: &v 1.0.0\nchart:\n  appVersion: *v\n',
      'image.tag',
      /shared through anchor &v/,
    ],
    [
      'a map instead of a value',
      'image:\n  tag:\n    a: 1\n',
      'image.tag',
      /not a single value \(found a map\)/,
    ],
    [
      'a block scalar',
      'image:\n  tag: |\n    1.0.0\n',
      'image.tag',
      /block scalar/,
    ],
    [
      'a multi-line plain value',
      'image:\n  tag: 1.0\n    .0\n',
      'image.tag',
      /several lines/,
    ],
    ['an empty value', 'image:\n  tag:\n  x: 1\n', 'image.tag', /has no value/],
    ['invalid YAML', 'image: [\n', 'image.tag', /not valid YAML/],
    ['an undefined alias', 'image:\n  tag: *nope\n', 'image.tag', /./],
  ];

  it.each(cases)('refuses %s with a 409', (_name, source, key, message) => {
    const path = key.split('.');
    let error: unknown;
    try {
      replaceYamlScalar(source, path, '1.5.0', 'values.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(message);
  });

  it.each([
    '1.5.0\nreplicaCount: 0',
    '1.5.0 # comment',
    '"1.5.0"',
    "1.5.0'",
    '{a: 1}',
    '*alias',
    '',
  ])('refuses to write %j with a 400', value => {
    expect(() =>
      replaceYamlScalar('image:\n  tag: 1.0.0\n', ['image', 'tag'], value),
    ).toThrow(InputError);
  });
});

describe('unifiedDiff', () => {
  it('shows the one changed line with context', () => {
    const before =
      'a: 1\nb: 2\nc: 3\nimage:\n  tag: 1.4.2\nd: 4\ne: 5\nf: 6\ng: 7\n';
    const after = before.replace('1.4.2', '1.5.0');
    expect(unifiedDiff('values.yaml', before, after)).toBe(
      [
        '--- a/values.yaml',
        '+++ b/values.yaml',
        '@@ -2,7 +2,7 @@',
        ' b: 2',
        ' c: 3',
        ' image:',
        '-  tag: 1.4.2',
        '+  tag: 1.5.0',
        ' d: 4',
        ' e: 5',
        ' f: 6',
        '',
      ].join('\n'),
    );
  });

  it('is empty without a change and ignores CRLF', () => {
    expect(unifiedDiff('x', 'a\r\n', 'a\r\n')).toBe('');
    expect(unifiedDiff('x', 'a: 1\r\n', 'a: 2\r\n')).toBe(
      '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a: 1\n+a: 2\n',
    );
  });
});
