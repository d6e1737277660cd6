import { executePromotion } from './executePromotion';
import { planPromotion } from './planPromotion';
import {
  cell,
  deps,
  entityState,
  FakeRepo,
  ownerContext,
  stateReader,
} from './__testUtils__/fakes';

const owner = ownerContext;
const request = {
  entityRef: 'component:default/checkout-api',
  from: 'staging',
  to: 'prod',
};
const values = (version: string) => `image:\n  tag: "${version}"\n`;

/** A repository whose default branch is `trunk`; `main` is a stale branch with other versions. */
function trunkRepo() {
  const repo = new FakeRepo({
    'envs/prod-eu-1/values.yaml': values('1.0.0'),
    'envs/prod-us-1/values.yaml': values('1.0.0'),
  });
  repo.defaultBranch = 'trunk';
  repo.commitFiles('trunk', {
    'envs/prod-eu-1/values.yaml': values('1.4.1'),
    'envs/prod-us-1/values.yaml': values('1.4.2'),
  });
  return repo;
}

function state(refs: { eu: string; us: string }, sharedFile = false) {
  const path = (cluster: string) =>
    sharedFile ? 'envs/prod-eu-1/values.yaml' : `envs/${cluster}/values.yaml`;
  return entityState([
    cell('staging', 'staging-1', { liveVersion: '1.5.0' }),
    cell('prod', 'prod-eu-1', {
      liveVersion: '1.4.1',
      source: { ref: refs.eu, path: path('prod-eu-1') },
    }),
    cell('prod', 'prod-us-1', {
      liveVersion: '1.4.2',
      source: { ref: refs.us, path: path('prod-us-1') },
    }),
  ]);
}

describe('a target tracking the default branch', () => {
  it.each(['HEAD', ''])(
    'plans and opens the pull request against the default branch for ref %j',
    async ref => {
      const repo = trunkRepo();
      const d = deps(repo, stateReader(state({ eu: ref, us: ref })));

      const plan = await planPromotion(request, owner, d);

      const trunkHead = repo.branches.get('trunk');
      expect(plan.waves[0].edits).toEqual([
        expect.objectContaining({
          path: 'envs/prod-eu-1/values.yaml',
          baseBranch: 'trunk',
          baseCommitSha: trunkHead,
          fromVersion: '1.4.1',
        }),
        expect.objectContaining({
          path: 'envs/prod-us-1/values.yaml',
          baseBranch: 'trunk',
          baseCommitSha: trunkHead,
          fromVersion: '1.4.2',
        }),
      ]);
      // one repository read and one head for both files
      expect(repo.calls.filter(c => c === 'getRepo')).toHaveLength(1);
      expect(repo.calls.filter(c => c === 'getBranchHead')).toHaveLength(1);

      const result = await executePromotion(plan, owner, d);
      expect(result.outcome).toBe('opened');
      expect(repo.pulls[0].base).toBe('trunk');
      expect(repo.pulls[0].body).toContain(
        '/compare/trunk...gitops/promote/checkout-api/prod',
      );
      expect(repo.pulls.map(p => p.base)).not.toContain('HEAD');
      expect(repo.branches.get('trunk')).toBe(trunkHead);
    },
  );

  it('edits a file once when one cluster names the default branch and another HEAD', async () => {
    const repo = trunkRepo();
    const d = deps(repo, stateReader(state({ eu: 'HEAD', us: 'trunk' }, true)));
    const plan = await planPromotion(request, owner, d);
    expect(plan.waves).toHaveLength(1);
    expect(plan.waves[0].edits).toEqual([
      expect.objectContaining({
        path: 'envs/prod-eu-1/values.yaml',
        baseBranch: 'trunk',
        clusters: ['prod-eu-1', 'prod-us-1'],
      }),
    ]);
  });

  it('does not read the repository for a named branch', async () => {
    const repo = trunkRepo();
    const d = deps(repo, stateReader(state({ eu: 'main', us: 'main' })));
    const plan = await planPromotion(request, owner, d);
    expect(plan.waves[0].edits[0]).toMatchObject({
      baseBranch: 'main',
      fromVersion: '1.0.0',
    });
    expect(repo.calls).not.toContain('getRepo');
  });
});
