import { createReleaseOwnerRule } from './releaseOwnerRule';

describe('createReleaseOwnerRule', () => {
  const rule = createReleaseOwnerRule(['group:default/release-owners']);

  it('filters catalog queries to every entity for a release owner, none for anyone else', () => {
    expect(
      rule.toQuery({
        claims: ['user:default/rita', 'group:default/release-owners'],
      }),
    ).toEqual({ key: 'kind' });
    expect(rule.toQuery({ claims: ['user:default/mallory'] })).toEqual({
      not: { key: 'kind' },
    });
  });

  it('refuses everyone when no release owners are configured', () => {
    const none = createReleaseOwnerRule([]);
    expect(
      none.apply(
        { apiVersion: 'v1', kind: 'Component', metadata: { name: 'x' } },
        { claims: ['group:default/release-owners'] },
      ),
    ).toBe(false);
  });
});
