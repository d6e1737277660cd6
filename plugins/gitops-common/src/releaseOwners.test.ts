import { isReleaseOwner } from './releaseOwners';

describe('isReleaseOwner', () => {
  it('matches a claim against the release owners, a bare name being a Group', () => {
    expect(
      isReleaseOwner(
        ['user:default/rita', 'group:default/Release-Owners'],
        ['release-owners'],
      ),
    ).toBe(true);
    expect(isReleaseOwner(['user:default/rita'], ['user:default/rita'])).toBe(
      true,
    );
  });

  it('refuses claims outside the release owners, and everyone when there are none', () => {
    expect(
      isReleaseOwner(
        ['user:default/jane', 'group:default/payments'],
        ['group:default/release-owners'],
      ),
    ).toBe(false);
    expect(isReleaseOwner(['group:default/release-owners'], [])).toBe(false);
  });
});
