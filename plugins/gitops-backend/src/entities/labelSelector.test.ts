import {
  hasEqualityRequirement,
  matchesLabels,
  MAX_SELECTOR_LENGTH,
  parseLabelSelector,
} from './labelSelector';

describe('parseLabelSelector', () => {
  it('reads the requirement forms of Kubernetes label selectors', () => {
    // the forms of https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/
    expect(
      parseLabelSelector(
        'app.kubernetes.io/name = web, tier==frontend,env!=qa, zone in (eu-1, us-1),track notin(canary),release,!legacy',
      ),
    ).toEqual([
      { key: 'app.kubernetes.io/name', op: '=', value: 'web' },
      { key: 'tier', op: '=', value: 'frontend' },
      { key: 'env', op: '!=', value: 'qa' },
      { key: 'zone', op: 'in', values: ['eu-1', 'us-1'] },
      { key: 'track', op: 'notin', values: ['canary'] },
      { key: 'release', op: 'exists' },
      { key: 'legacy', op: '!exists' },
    ]);
  });

  it.each([
    ['=web', /expected a label key at character 1/],
    ['a=b c', /expected a comma between requirements at character 5/],
    ['a b', /expected "=", "!=", "in" or "notin" after key a/],
    ['a in (x', /expected "," or "\)" in the values of a/],
    ['a in x', /expected "\(" after "in"/],
    ['a=b,,c=d', /expected a label key at character 5/],
    ['-a=b', /Label key "-a" is invalid/],
    [`a=${'v'.repeat(64)}`, /Label value "v{64}" is invalid: at most 63/],
    [`${'k'.repeat(64)}=v`, /its name must be 1-63/],
    [
      `${'p'.repeat(254)}/k=v`,
      /invalid prefix: a DNS subdomain of at most 253/,
    ],
    ['Bad_Prefix/k=v', /invalid prefix/],
  ])('refuses %j with a message saying what to fix', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });

  it('refuses a selector longer than the cap before reading it', () => {
    // the audit's input: a 50,000-character selector took 1.8 s with the regex parser
    for (const selector of [
      `${' '.repeat(50_000)}x y`,
      'a'.repeat(50_000),
      `a=${'b'.repeat(MAX_SELECTOR_LENGTH)}`,
    ]) {
      expect(() => parseLabelSelector(selector)).toThrow(
        `Label selector is ${selector.length} characters long; at most 1024 are read`,
      );
    }
    expect(
      parseLabelSelector(`${' '.repeat(MAX_SELECTOR_LENGTH - 3)}a=b`),
    ).toEqual([{ key: 'a', op: '=', value: 'b' }]);
  });
});

describe('hasEqualityRequirement', () => {
  it.each([
    ['app.kubernetes.io/name=web', true],
    ['a==b,!c', true],
    ['a in (b)', true],
    ['a in (b,c)', false],
    ['!x', false],
    ['a!=b', false],
    ['a', false],
    ['', false],
  ])('%j: %s', (selector, expected) => {
    expect(hasEqualityRequirement(parseLabelSelector(selector))).toBe(expected);
  });
});

describe('matchesLabels', () => {
  it('matches every requirement', () => {
    const requirements = parseLabelSelector('a=1,b in (2,3),!c,d notin (4)');
    expect(matchesLabels(requirements, { a: '1', b: '3' })).toBe(true);
    expect(matchesLabels(requirements, { a: '1', b: '3', c: '' })).toBe(false);
    expect(matchesLabels(requirements, { a: '1', b: '4' })).toBe(false);
    expect(matchesLabels(requirements, { a: '1', b: '2', d: '4' })).toBe(false);
  });
});
