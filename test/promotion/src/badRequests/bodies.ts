import {
  BadRequestCatalogue,
  ENTITY,
  INVISIBLE,
  notString,
  schema,
  show,
  valid,
  WRONG_TYPES,
} from './catalogue';

const HEX40 = 'a'.repeat(40);

/** expectedBlobShas: paths that are no plain path in the repository, values that are no blob sha. */
export function addBlobShaCases(c: BadRequestCatalogue) {
  c.group('expectedBlobShas: a key that is no plain path in the repository');
  for (const path of [
    '/apps/x.yaml',
    '../x',
    'apps/../x',
    'apps/./x.yaml',
    './x',
    'apps/..',
    '.',
    '..',
    'apps\\x.yaml',
    'apps/x y.yaml',
    'apps/x\u0000.yaml',
    'apps/\u00FCber.yaml',
    'apps/%2e%2e/x',
    'apps/x.yaml\n',
    '~/x',
    'C:\\x',
    'apps/x?.yaml',
    'apps/*',
    '',
    'apps//x.yaml',
    'apps/x.yaml/',
    '/',
    ...Object.values(INVISIBLE).map(ch => `apps/x${ch}.yaml`),
  ]) {
    c.json(
      show(path),
      { ...valid, expectedBlobShas: { [path]: HEX40 } },
      400,
      schema(
        'expectedBlobShas\\.[\\s\\S]*: must be a plain path inside the repository',
      ),
    );
  }
  c.json(
    '1025 characters',
    { ...valid, expectedBlobShas: { ['a'.repeat(1025)]: HEX40 } },
    400,
    schema('expectedBlobShas\\.a+: String must contain at most 1024'),
  );

  c.group('expectedBlobShas: a value that is no git blob sha');
  const VALUES = 'apps/storefront-web/envs/prod/values.yaml';
  for (const sha of [
    'zz',
    '',
    'A'.repeat(40),
    'a'.repeat(39),
    'a'.repeat(41),
    'a'.repeat(50),
    'a'.repeat(63),
    'a'.repeat(65),
    'g'.repeat(40),
    `sha1:${HEX40}`,
    ` ${HEX40}`,
    `${HEX40}\n`,
    `${HEX40}${INVISIBLE.zeroWidthSpace}`,
  ]) {
    c.json(
      show(sha),
      { ...valid, expectedBlobShas: { [VALUES]: sha } },
      400,
      schema(
        'expectedBlobShas\\.apps/storefront-web/envs/prod/values\\.yaml: must be a blob sha: 40 \\(SHA-1\\) or 64 \\(SHA-256\\)',
      ),
    );
  }
  for (const [value, type] of WRONG_TYPES) {
    c.json(
      type,
      { ...valid, expectedBlobShas: { [VALUES]: value } },
      400,
      notString(
        'expectedBlobShas\\.apps/storefront-web/envs/prod/values\\.yaml',
        type,
      ),
    );
  }
  c.group('expectedBlobShas: not a map');
  for (const [value, type] of [
    ['x', 'string'],
    [[HEX40], 'array'],
    [null, 'null'],
    [40, 'number'],
  ] as Array<[unknown, string]>) {
    c.json(
      type,
      { ...valid, expectedBlobShas: value },
      400,
      schema(`expectedBlobShas: Expected object, received ${type}`),
    );
  }
}

/** Bodies that are no promotion request object, or no JSON at all. */
export function addBodyCases(c: BadRequestCatalogue) {
  c.group('body: not a promotion request object');
  c.json('an array', [valid], 400, schema('Expected object, received array'));
  c.json('an empty object', {}, 400, schema('entityRef: Required'));
  c.json(
    'the request nested',
    { request: valid },
    400,
    schema('entityRef: Required'),
  );
  c.json(
    'from missing',
    { entityRef: ENTITY, to: 'prod' },
    400,
    schema('from: Required'),
  );
  c.json(
    'to missing',
    { entityRef: ENTITY, from: 'staging' },
    400,
    schema('to: Required'),
  );
  c.json(
    'entityRef missing',
    { from: 'staging', to: 'prod' },
    400,
    schema('entityRef: Required'),
  );
  for (const key of [
    'branch',
    'force',
    'constructor',
    'prototype',
    'entityref',
    'Version',
    'target',
    'expectedBlobSha',
  ]) {
    c.json(
      `unknown field ${key}`,
      { ...valid, [key]: 'x' },
      400,
      schema(`Unrecognized key\\(s\\) in object: '${key}'`),
    );
  }
  c.json(
    'prototype pollution',
    JSON.parse(
      `{"entityRef":"${ENTITY}","from":"staging","to":"prod","__proto__":{"x":1}}`,
    ),
    400,
    schema("Unrecognized key\\(s\\) in object: '__proto__'"),
  );
  c.json(
    '200 unknown fields',
    {
      ...valid,
      ...Object.fromEntries(
        Array.from({ length: 200 }, (_, i) => [`k${i}`, i]),
      ),
    },
    400,
    schema("Unrecognized key\\(s\\) in object: 'k0', 'k1'"),
  );

  c.group('body: not JSON of an object');
  const JSON_TYPE = 'application/json';
  // the body parser's messages: what in the text is not JSON of an object
  const NOT_JSON =
    /is not valid JSON|Unexpected end of JSON input|in JSON at position \d+/;
  c.raw('a JSON string', '"promote"', JSON_TYPE, 400, NOT_JSON);
  c.raw('JSON null', 'null', JSON_TYPE, 400, NOT_JSON);
  c.raw('a JSON number', '42', JSON_TYPE, 400, NOT_JSON);
  c.raw(
    'truncated JSON',
    `{"entityRef":"${ENTITY}",`,
    JSON_TYPE,
    400,
    NOT_JSON,
  );
  c.raw(
    'a trailing comma',
    `{"entityRef":"${ENTITY}","from":"staging","to":"prod",}`,
    JSON_TYPE,
    400,
    NOT_JSON,
  );
  c.raw('single quotes', `{'entityRef':'${ENTITY}'}`, JSON_TYPE, 400, NOT_JSON);
  c.raw(
    'YAML sent as JSON',
    `entityRef: ${ENTITY}\nfrom: staging\nto: prod\n`,
    JSON_TYPE,
    400,
    NOT_JSON,
  );
  c.raw(
    'a later duplicate key wins',
    `{"entityRef":"${ENTITY}","from":"staging","to":"prod","to":"../prod"}`,
    JSON_TYPE,
    400,
    schema('to: '),
  );
  c.raw(
    'form encoded',
    `entityRef=${encodeURIComponent(ENTITY)}&from=staging&to=prod`,
    'application/x-www-form-urlencoded',
    400,
    schema('entityRef: Required'),
  );
  c.raw(
    'JSON sent as text/plain',
    JSON.stringify(valid),
    'text/plain',
    400,
    schema('entityRef: Required'),
  );
  c.raw(
    'JSON sent as YAML',
    JSON.stringify(valid),
    'application/yaml',
    400,
    schema('entityRef: Required'),
  );
  c.raw('no body', '', JSON_TYPE, 400, schema('entityRef: Required'));
  c.raw(
    'more than 100 kB',
    JSON.stringify({ ...valid, version: 'a'.repeat(200_000) }),
    JSON_TYPE,
    413,
    /^request entity too large$/,
  );
}
