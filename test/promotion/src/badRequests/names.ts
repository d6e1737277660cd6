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

/** Spellings of a name that are not a lowercase DNS-label name. */
function badNames(name: string): string[] {
  const [head, ...rest] = name;
  const tail = rest.join('');
  return [
    `../${name}`,
    '..',
    '../../etc/passwd',
    `${name}/..`,
    `${name}/../x`,
    '%2e%2e',
    `..%2f${name}`,
    `/${name}`,
    `${name}/`,
    `./${name}`,
    `\\..\\${name}`,
    `${name}\u0000`,
    `~/${name}`,
    `${name};rm -rf`,
    name.toUpperCase(),
    `${name} `,
    ` ${name}`,
    `${head} ${tail}`,
    `${name}\n`,
    '',
    'a'.repeat(64),
    `-${name}`,
    `${name}-`,
    `${name}_1`,
    `${name}.1`,
    `${name}*`,
    `$(${name})`,
    // Cyrillic о (U+043E) for o, fullwidth letters, invisible and spacing characters
    cyrillicLookalike(name),
    [...name]
      .map(ch => String.fromCharCode(ch.charCodeAt(0) + 0xfee0))
      .join(''),
    ...Object.values(INVISIBLE).map(ch => `${head}${ch}${tail}`),
    `${name}\u2011x`, // non-breaking hyphen
  ];
}

/** The name with its first a, e, o or p written as the Cyrillic letter that looks the same. */
function cyrillicLookalike(name: string): string {
  const lookalikes: Record<string, string> = {
    a: '\u0430',
    e: '\u0435',
    o: '\u043E',
    p: '\u0440',
  };
  return name.replace(/[aeop]/, ch => lookalikes[ch]);
}

/** entityRef, from, to and targets: malformed, confusable, of the wrong type or unknown. */
export function addNameCases(c: BadRequestCatalogue) {
  c.group('entityRef: not an entity reference, or not a string');
  for (const entityRef of [
    'storefront-web',
    'component:',
    ':default/x',
    'component:default/',
    'component:default/../x',
    'component:../../x',
    'component:default/a/b',
    'component:default/x y',
    'component:default/x\n',
    'comp onent:default/x',
    `component:default/${'x'.repeat(400)}`,
    '',
    'component:DEFAULT/x',
    'component:default/.hidden',
    'component:default/x%2f..',
    'component:default//storefront-web',
    'component::default/storefront-web',
    'component:default/storefront-web/',
    'component:default/storefront-web?x=1',
    'component:default/storefront-web#x',
    'component:default/-storefront-web',
    'component:default/storefront-web-',
    'component:de_fault/storefront-web',
    '1component:default/storefront-web',
    'component:default/storefront-web;drop',
    'component:default/storefront\u2010web', // hyphen U+2010
    'component:default/st\u043Erefront-web', // Cyrillic о
    '\uFF43omponent:default/storefront-web', // fullwidth c
    'component:default/\u202Ebew-tnorferots',
    ...Object.values(INVISIBLE).map(ch => `${ENTITY}${ch}`),
    `${INVISIBLE.byteOrderMark}${ENTITY}`,
  ]) {
    c.json(
      show(entityRef),
      { ...valid, entityRef },
      400,
      schema('entityRef: '),
    );
  }
  for (const [value, type] of WRONG_TYPES) {
    c.json(
      type,
      { ...valid, entityRef: value },
      400,
      notString('entityRef', type),
    );
  }

  c.group('entityRef: well formed, not in the catalog');
  for (const entityRef of [
    'component:default/nope',
    'component:default/storefront',
    'component:default/storefront-web-2',
    'component:web',
    'group:default/web',
    'user:default/jane',
    'api:default/storefront-web',
    'component:other/storefront-web',
    `component:default/${'x'.repeat(300)}`,
  ]) {
    c.json(entityRef.slice(0, 50), { ...valid, entityRef }, 404, /No entity/);
  }

  for (const field of ['from', 'to'] as const) {
    const name = field === 'from' ? 'staging' : 'prod';
    c.group(`${field}: not a lowercase name, or not a string`);
    for (const value of badNames(name)) {
      c.json(
        show(value),
        { ...valid, [field]: value },
        400,
        schema(`${field}: `),
      );
    }
    for (const [value, type] of WRONG_TYPES) {
      c.json(type, { ...valid, [field]: value }, 400, notString(field, type));
    }
    c.group(`${field}: a name no environment has`);
    for (const env of [
      'qa',
      'production',
      'uat',
      'dev2',
      'canary',
      'a'.repeat(63),
    ]) {
      c.json(env, { ...valid, [field]: env }, 400, /Unknown environment/);
    }
  }

  c.group('from and to: not forward');
  for (const [from, to] of [
    ['prod', 'staging'],
    ['prod', 'prod'],
    ['staging', 'staging'],
    ['staging', 'dev'],
    ['dev', 'dev'],
    ['prod', 'dev'],
  ]) {
    c.json(`${from} to ${to}`, { ...valid, from, to }, 400, /go forward/);
  }

  c.group('targets: not a lowercase name, or not a string');
  for (const value of badNames('prod-eu-1')) {
    c.json(
      show(value),
      { ...valid, targets: [value] },
      400,
      schema('targets\\.0: '),
    );
  }
  c.json(
    'second of two',
    { ...valid, targets: ['prod-eu-1', '../x'] },
    400,
    schema('targets\\.1: '),
  );
  for (const [value, type] of WRONG_TYPES) {
    c.json(
      type,
      { ...valid, targets: [value] },
      400,
      notString('targets.0', type),
    );
  }
  c.group('targets: not a list of 1 to 50');
  for (const [name, targets, detail] of [
    ['a string', 'prod-eu-1', 'targets: Expected array, received string'],
    [
      'an object',
      { 0: 'prod-eu-1' },
      'targets: Expected array, received object',
    ],
    ['null', null, 'targets: Expected array, received null'],
    ['empty', [], 'targets: Array must contain at least 1 element'],
    [
      '51 names',
      Array.from({ length: 51 }, (_, i) => `c-${i}`),
      'targets: Array must contain at most 50 element',
    ],
  ] as Array<[string, unknown, string]>) {
    c.json(name, { ...valid, targets }, 400, schema(detail));
  }
  c.group('targets: a cluster the target environment does not have');
  for (const cluster of [
    'prod-ap-1',
    'staging-1',
    'dev-1',
    'prod-eu-2',
    'prod',
    'core',
    'in-cluster',
  ]) {
    c.json(
      cluster,
      { ...valid, targets: [cluster] },
      400,
      /Unknown target cluster/,
    );
  }
  c.json(
    'one known, one not',
    { ...valid, targets: ['prod-eu-1', 'prod-ap-1'] },
    400,
    /Unknown target cluster\(s\) prod-ap-1 /,
  );
}
