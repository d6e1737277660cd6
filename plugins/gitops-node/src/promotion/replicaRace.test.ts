import { PromotionResult } from '@backstage-gitops/plugin-gitops-common';
import { executePromotion } from './executePromotion';
import { KeyedLock } from './KeyedLock';
import { planPromotion } from './planPromotion';
import { readPromotionMarker } from './pullRequestText';
import {
  cell,
  deps,
  entityState,
  FakeRepo,
  ownerContext,
  stateReader,
} from './__testUtils__/fakes';

const VALUES = 'apps/checkout-api/envs/prod/values.yaml';
const BRANCH = 'gitops/promote/checkout-api/prod';
const request = {
  entityRef: 'component:default/checkout-api',
  from: 'staging',
  to: 'prod',
};

/** checkout-api with staging on `version`, as one replica of the backend sees it. */
function replica(repo: FakeRepo, version: string) {
  const state = entityState([
    cell('staging', 'staging-1', { version }),
    cell('prod', 'prod-eu-1', { version: '1.4.2' }),
    cell('prod', 'prod-us-1', { version: '1.4.2' }),
  ]);
  // each replica has its own lock: nothing in one process serializes them
  return { ...deps(repo, stateReader(state)), locks: new KeyedLock() };
}

describe('promotions of two replicas racing for one branch', () => {
  it('leaves the pull request describing what its branch holds when another version lost the race to open it', async () => {
    const repo = new FakeRepo({ [VALUES]: 'image:\n  tag: "1.4.2"\n' });
    const newer = replica(repo, '1.6.0');
    const older = replica(repo, '1.5.0');
    // the older promotion lists open pull requests before the newer one has opened its own
    const olderPlan = await planPromotion(request, ownerContext, older);
    const list = repo.listOpenPullRequests.bind(repo);
    let first: Promise<PromotionResult> | undefined;
    repo.listOpenPullRequests = async options => {
      const pulls = await list(options);
      if (!first) {
        first = executePromotion(
          await planPromotion(request, ownerContext, newer),
          ownerContext,
          newer,
        );
        await first;
      }
      return pulls;
    };

    const result = await executePromotion(olderPlan, ownerContext, older);

    expect((await first)?.outcome).toBe('opened');

    expect(repo.pulls).toHaveLength(1);
    const [pull] = repo.pulls;
    expect(result.pullRequests).toEqual([
      expect.objectContaining({ number: pull.number, action: 'updated' }),
    ]);
    // the branch holds the version of whoever moved it last, and the pull request says so
    const onBranch = /tag: "([^"]+)"/.exec(repo.fileAt(BRANCH, VALUES)!)![1];
    expect(onBranch).toBe('1.5.0');
    expect(readPromotionMarker(pull.body)?.version).toBe(onBranch);
    expect(pull.title).toContain(onBranch);
    expect(repo.comments).toEqual([
      expect.objectContaining({
        number: pull.number,
        body: expect.stringMatching(/1\.5\.0.*was 1\.6\.0/),
      }),
    ]);
    expect(result.superseded).toEqual([
      expect.objectContaining({ number: pull.number, action: 'updated' }),
    ]);

    // a re-run of the newer promotion now sees the difference and moves the branch back
    const again = await executePromotion(
      await planPromotion(request, ownerContext, newer),
      ownerContext,
      newer,
    );
    expect(again.outcome).toBe('updated');
    expect(repo.fileAt(BRANCH, VALUES)).toContain('tag: "1.6.0"');
    expect(readPromotionMarker(repo.pulls[0].body)?.version).toBe('1.6.0');
  });
});
