import { promotionBranchName, refFormatProblem } from './branchName';

function branch(namespace: string, name: string, environment = 'prod') {
  return promotionBranchName({
    prefix: 'gitops/promote',
    entity: { kind: 'component', namespace, name },
    environment,
    clusters: ['prod-eu-1'],
    environmentClusters: ['prod-eu-1'],
  });
}

describe('promotionBranchName', () => {
  it.each([
    ['a..b', 'gitops/promote/a-.b/prod'],
    ['x.lock', 'gitops/promote/x-lock/prod'],
    ['.hidden', 'gitops/promote/-hidden/prod'],
    ['trailing.', 'gitops/promote/trailing-/prod'],
    ['Checkout_API', 'gitops/promote/checkout_api/prod'],
    ['a@{1}', 'gitops/promote/a--1-/prod'],
    ['tab\there', 'gitops/promote/tab-here/prod'],
  ])('escapes the entity name %j to a valid branch', (name, expected) => {
    const result = branch('default', name);
    expect(result).toBe(expected);
    expect(refFormatProblem(result)).toBeUndefined();
  });

  it('keeps the entity of another namespace apart from default-namespace entities', () => {
    // before: default/foo promoted to prod and foo/prod promoted to x made
    // gitops/promote/foo/prod and gitops/promote/foo/prod/x, which Git cannot hold at once
    const first = branch('default', 'foo', 'prod');
    const second = branch('foo', 'prod', 'x');
    expect(first).toBe('gitops/promote/foo/prod');
    expect(second).toBe('gitops/promote/foo+prod/x');
    expect(second.startsWith(`${first}/`)).toBe(false);
    expect(first.startsWith(`${second}/`)).toBe(false);
  });

  it('names the clusters of a partial promotion after --', () => {
    expect(
      promotionBranchName({
        prefix: 'gitops/promote',
        entity: { kind: 'component', namespace: 'default', name: 'api' },
        environment: 'prod',
        clusters: ['prod-us-1', 'prod-eu-1'],
        environmentClusters: ['prod-eu-1', 'prod-us-1', 'prod-ap-1'],
      }),
    ).toBe('gitops/promote/api/prod--prod-eu-1+prod-us-1');
  });
});

describe('refFormatProblem', () => {
  it.each([
    ['a/b..c', /\.\./],
    ['a/x.lock', /ends with .lock/],
    ['a/.x', /starts with \./],
    ['a/x@{1}', /@\{/],
    ['a//b', /empty path component/],
    ['a/b.', /ends with \./],
    ['a/b\u0000', /control character/],
    ['-a', /starts with -/],
  ])('refuses %j', (name, problem) => {
    expect(refFormatProblem(name)).toMatch(problem);
  });

  it('accepts an ordinary promotion branch', () => {
    expect(refFormatProblem('gitops/promote/api/prod--prod-eu-1')).toBe(
      undefined,
    );
  });
});
