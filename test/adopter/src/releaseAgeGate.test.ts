import { releaseAgeGateDays } from './releaseAgeGate';

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
