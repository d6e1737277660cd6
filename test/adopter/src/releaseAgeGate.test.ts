import { gatedYarnrc, releaseAgeGateDays } from './releaseAgeGate';

describe('releaseAgeGateDays', () => {
  it('gates what came after the patch window of the release', () => {
    expect(
      releaseAgeGateDays(
        new Date('2026-09-18T00:00:00Z'),
        new Date('2026-12-07T12:00:00Z'),
        3,
      ),
    ).toBe(60);
  });

  it('never goes below the minimum', () => {
    expect(
      releaseAgeGateDays(
        new Date('2026-09-18T00:00:00Z'),
        new Date('2026-09-20T00:00:00Z'),
        3,
      ),
    ).toBe(3);
  });
});

describe('gatedYarnrc', () => {
  it('sets the gate for every package and drops yarnPath', () => {
    expect(
      gatedYarnrc(
        [
          'nodeLinker: node-modules',
          'npmMinimalAgeGate: 3d',
          'npmPreapprovedPackages:',
          "  - '@backstage/*'",
          '',
          'yarnPath: .yarn/releases/yarn-4.13.0.cjs',
          '',
        ].join('\n'),
        59,
      ),
    ).toBe('nodeLinker: node-modules\nnpmMinimalAgeGate: 59d\n');
  });
});
