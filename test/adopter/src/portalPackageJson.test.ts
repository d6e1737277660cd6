import { withTarballResolutions } from './portalPackageJson';

describe('withTarballResolutions', () => {
  it("adds the repository's resolutions and the tarballs to the portal's", () => {
    expect(
      withTarballResolutions(
        { name: 'root', resolutions: { '@types/react': '^18' } },
        { resolutions: { rollup: '4.67.4' } },
        [{ name: '@acme/x', version: '1.0.0', tarball: '/t/x.tgz' }],
      ),
    ).toEqual({
      name: 'root',
      resolutions: {
        '@types/react': '^18',
        rollup: '4.67.4',
        '@acme/x': 'file:/t/x.tgz',
      },
    });
  });
});
