import {
  BadRequestCatalogue,
  INVISIBLE,
  notString,
  schema,
  show,
  valid,
  WRONG_TYPES,
} from './catalogue';

/** The engine's answer to a version that is no image tag, digest or tag@digest. */
const INVALID_VERSION =
  /^Invalid version "[\s\S]*": expected an image tag \(letters, digits, \. _ -, at most 128, not starting with \. or -\), a digest \(sha256:<64 hex>\) or tag@digest$/;

const DIGEST = `sha256:${'a'.repeat(64)}`;

/**
 * version and dryRun. Tag grammar from the OCI distribution spec
 * (https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests);
 * YAML indicators and values YAML 1.1 reads as booleans, numbers or null.
 */
export function addVersionCases(c: BadRequestCatalogue) {
  c.group('version: not a tag, digest or tag@digest');
  for (const version of [
    '1.5.0\nreplicaCount: 0',
    '1.5.0\r\nimage: evil',
    '1.5.0 # comment',
    '1.5.0 ',
    ' 1.5.0',
    '1.5 .0',
    '1.5.0\t',
    'latest\n---\nkind: Secret',
    '{tag: 1}',
    '[1.5.0]',
    '*anchor',
    '&a 1.5.0',
    '!!binary x',
    '|',
    '>',
    '~',
    '-',
    "'1.5.0'",
    '"1.5.0"',
    '%TAG',
    '@1.5.0',
    '`1.5.0`',
    '1.5.0,1.6.0',
    '.1.5.0',
    '-1.5.0',
    '1.5.0:',
    ':1.5.0',
    'registry:5000/app:1.5.0',
    'app:1.5.0',
    '../1.5.0',
    '1.5.0/../../x',
    '$(id)',
    '${HOME}',
    '1.5.0;ls',
    '<<: *base',
    // tag grammar edges: 129 characters, a leading . or -, only the tag part is limited
    'a'.repeat(129),
    `_${'a'.repeat(128)}`,
    'a'.repeat(264),
    `${'a'.repeat(129)}@${DIGEST}`,
    // digests: wrong algorithm, case, length or separator
    '1.5.0@sha256:short',
    `1.5.0@md5:${'a'.repeat(32)}`,
    `sha256:${'g'.repeat(64)}`,
    `sha256:${'A'.repeat(64)}`,
    `SHA256:${'a'.repeat(64)}`,
    `sha256:${'a'.repeat(63)}`,
    `sha256:${'a'.repeat(65)}`,
    `sha384:${'a'.repeat(96)}`,
    `sha512:${'a'.repeat(127)}`,
    '1.5.0@',
    `@${DIGEST}`,
    `1.5.0@@${DIGEST}`,
    `1.5.0@${DIGEST}@${DIGEST}`,
    `1.5.0@${DIGEST.toUpperCase()}`,
    `1.5.0@sha256:${'a'.repeat(65)}`,
    // lookalikes and invisible characters
    '\uFF11.\uFF15.\uFF10', // fullwidth digits
    '1\u20245\u20240', // one dot leader
    '1.5.0\u0301', // combining acute
    '\u0475' + '1.5.0', // Cyrillic izhitsa for v
    '1.5.0\u{1F680}',
    '\u2170.5.0', // roman numeral one
    ...Object.values(INVISIBLE).map(ch => `1.5.0${ch}`),
    `${INVISIBLE.byteOrderMark}1.5.0`,
    '1.5.0\r',
    '1.5.0\v',
    '1.5.0\f',
    '1.5.0\u0085',
    '1.5.0\u0000',
    'ü1.5.0',
    ...'#&*!|>\'"%@`{}[],?: \t\\/=~$;<+'.split('').map(s => `1.5.0${s}x`),
  ]) {
    c.json(show(version), { ...valid, version }, 400, INVALID_VERSION);
  }
  c.group('version: longer than any version');
  for (const length of [265, 1000, 50_000]) {
    c.json(
      `${length} characters`,
      { ...valid, version: 'a'.repeat(length) },
      400,
      schema('version: String must contain at most 264 character'),
    );
  }
  c.group('version: empty or not a string');
  c.json(
    'empty',
    { ...valid, version: '' },
    400,
    schema('version: String must contain at least 1 character'),
  );
  for (const [value, type] of [[1.5, 'number'], ...WRONG_TYPES] as Array<
    [unknown, string]
  >) {
    c.json(
      `a ${type} (${show(value)})`,
      { ...valid, version: value },
      400,
      notString('version', type),
    );
  }

  c.group(
    'version: a tag never deployed (YAML would read some as other types)',
  );
  for (const version of [
    '0.0.1',
    'null',
    'true',
    'yes',
    'on',
    '1e3',
    '0x1F',
    '012',
    'NaN',
    '_1.5.0',
    'v1.5.0',
    // a digest with - for :, which is a well-formed tag
    `sha256-${'a'.repeat(64)}`,
  ]) {
    c.json(version, { ...valid, version }, 409, /neither the history/);
  }
  c.json(
    'a digest never deployed, to a file holding a tag',
    { ...valid, version: DIGEST },
    409,
    /image\.tag in apps\/storefront-web\/envs\/prod\/values\.yaml holds a tag \(1\.4\.2\) but sha256:a{64} is only a digest; promote it as tag@digest/,
  );
  c.json(
    'tag@digest never deployed',
    { ...valid, version: `9.9.9@sha256:${'b'.repeat(64)}` },
    409,
    /9\.9\.9@sha256:b{64} is not what staging runs .*appears in neither the history of prod nor of staging/,
  );

  c.group('dryRun: not a boolean');
  for (const [dryRun, type] of [
    ['false', 'string'],
    ['true', 'string'],
    ['yes', 'string'],
    [0, 'number'],
    [1, 'number'],
    [null, 'null'],
    [[], 'array'],
    [{}, 'object'],
  ] as Array<[unknown, string]>) {
    c.json(
      show(dryRun),
      { ...valid, dryRun },
      400,
      schema(`dryRun: Expected boolean, received ${type}`),
    );
  }
}
