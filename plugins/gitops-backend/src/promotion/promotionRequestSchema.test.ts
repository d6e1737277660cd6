import { parsePromotionRequest } from './promotionRequestSchema';

const base = {
  entityRef: 'component:default/checkout-api',
  from: 'staging',
  to: 'prod',
};
const VALUES = 'apps/checkout-api/envs/prod/values.yaml';

describe('parsePromotionRequest', () => {
  it('accepts expectedBlobShas of SHA-1 and SHA-256 repositories by plain path', () => {
    const expectedBlobShas = {
      [VALUES]: 'a'.repeat(40),
      'apps/checkout-api/envs/prod-eu/values.yaml': 'b'.repeat(64),
    };
    expect(
      parsePromotionRequest({ ...base, expectedBlobShas }).expectedBlobShas,
    ).toEqual(expectedBlobShas);
  });

  // Both were accepted before: the path named no planned file, so the check was skipped and
  // the promotion written; a 41 to 63 digit sha was refused as "changed since the plan".
  it.each(['apps//x.yaml', 'apps/x.yaml/', 'apps/./x.yaml', '/apps/x.yaml'])(
    'refuses the path %j, saying what a plain path is',
    path => {
      expect(() =>
        parsePromotionRequest({
          ...base,
          expectedBlobShas: { [path]: 'a'.repeat(40) },
        }),
      ).toThrow(
        /^Invalid promotion request: expectedBlobShas\..*: must be a plain path inside the repository: names of letters, digits, '\.', '_' and '-' joined by single '\/'/,
      );
    },
  );

  it.each([39, 41, 50, 63, 65])('refuses a sha of %i hex digits', length => {
    expect(() =>
      parsePromotionRequest({
        ...base,
        expectedBlobShas: { [VALUES]: 'a'.repeat(length) },
      }),
    ).toThrow(
      /expectedBlobShas\.apps\/checkout-api\/envs\/prod\/values\.yaml: must be a blob sha: 40 \(SHA-1\) or 64 \(SHA-256\) lowercase hex digits/,
    );
  });
});
