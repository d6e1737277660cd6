import { ConflictError } from '@backstage/errors';
import { planPromotion } from './planPromotion';
import {
  cell,
  deps,
  entityState,
  FakeRepo,
  ownerContext,
  stateReader,
} from './__testUtils__/fakes';

const request = {
  entityRef: 'component:default/checkout-api',
  from: 'staging',
  to: 'prod',
};

function plan(path: string) {
  const repo = new FakeRepo({
    [path]: 'image:\n  tag: 1.4.2\n',
    'apps/checkout-api/envs/staging/values.yaml': 'image:\n  tag: 1.5.0\n',
  });
  const state = entityState([
    cell('staging', 'staging-1', { liveVersion: '1.5.0' }),
    cell('prod', 'prod-eu-1', { liveVersion: '1.4.2', source: { path } }),
    cell('prod', 'prod-us-1', { liveVersion: '1.4.2', source: { path } }),
  ]);
  return planPromotion(request, ownerContext, deps(repo, stateReader(state)));
}

describe('planPromotion edit paths', () => {
  // paths an Application's valueFiles could lead to, from the hardening audit (issue 17)
  it.each([
    ['.github/workflows/ci.yaml', /\.git or \.github/],
    ['apps/.git/config', /\.git or \.github/],
    ['apps/.GitHub/values.yaml', /\.git or \.github/],
    ['..\\x', /only letters, digits/],
    ['apps/values.yaml\u0000.txt', /only letters, digits/],
    ['apps/values.yaml\nother', /only letters, digits/],
    ['apps/../values.yaml', /\. or \.\. segment/],
    ['/etc/values.yaml', /only letters, digits/],
    ['apps//values.yaml', /only letters, digits/],
  ])('refuses to edit %j', async (path, problem) => {
    const planned = plan(path);
    await expect(planned).rejects.toThrow(ConflictError);
    await expect(plan(path)).rejects.toThrow(problem);
  });

  it('plans an ordinary values file', async () => {
    const result = await plan('apps/checkout-api/envs/prod/values-eu_1.yaml');
    expect(result.waves[0].edits[0].path).toBe(
      'apps/checkout-api/envs/prod/values-eu_1.yaml',
    );
  });
});
