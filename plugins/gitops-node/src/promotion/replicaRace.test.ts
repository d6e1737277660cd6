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

  /** Opens the branch's pull request for 1.5.0, then plans 1.6.0 and 1.7.0 on two replicas. */
  async function threeVersions() {
    const repo = new FakeRepo({ [VALUES]: 'image:\n  tag: "1.4.2"\n' });
    const first = replica(repo, '1.5.0');
    await executePromotion(
      await planPromotion(request, ownerContext, first),
      ownerContext,
      first,
    );
    const a = replica(repo, '1.6.0');
    const b = replica(repo, '1.7.0');
    return {
      repo,
      a,
      b,
      planA: await planPromotion(request, ownerContext, a),
      planB: await planPromotion(request, ownerContext, b),
    };
  }

  /** The version the branch holds and the one its pull request's record says, which must agree. */
  function branchAndRecord(repo: FakeRepo) {
    return {
      branch: /tag: "([^"]+)"/.exec(repo.fileAt(BRANCH, VALUES)!)![1],
      record: readPromotionMarker(repo.pulls[0].body)?.version,
    };
  }

  it('does not move a branch that another replica moved after it was read (compare-and-swap), and builds on it instead', async () => {
    const { repo, a, b, planA, planB } = await threeVersions();
    // replica A reads the branch head, then replica B moves the branch before A writes it
    const read = repo.getBranchHead.bind(repo);
    let headOfB: string | undefined;
    repo.getBranchHead = async branch => {
      const head = await read(branch);
      if (!headOfB) {
        headOfB = 'pending';
        repo.getBranchHead = read;
        await executePromotion(planB, ownerContext, b);
        headOfB = repo.branches.get(BRANCH);
      }
      return head;
    };
    const updates: string[] = [];
    const update = repo.updateBranch.bind(repo);
    repo.updateBranch = async (branch, sha) => {
      const result = await update(branch, sha);
      updates.push(result);
      return result;
    };

    const result = await executePromotion(planA, ownerContext, a);

    expect(result.outcome).toBe('updated');
    // B moved the branch; A's move from the head it had read was refused, so it read the
    // branch again and moved it from B's commit
    expect(updates).toEqual(['updated', 'moved', 'updated']);
    expect(repo.isAncestor(headOfB!, repo.branches.get(BRANCH))).toBe(true);
    expect(branchAndRecord(repo)).toEqual({ branch: '1.6.0', record: '1.6.0' });
    expect(repo.pulls).toHaveLength(1);
  });

  it('leaves the record describing the branch when a replica that moved the branch first writes the record last', async () => {
    const { repo, a, b, planA, planB } = await threeVersions();
    // A moves the branch and is slow to write the record; meanwhile B moves the branch and
    // writes its record, then A's record lands on top of it
    const updatePull = repo.updatePullRequest.bind(repo);
    let bDone: Promise<unknown> | undefined;
    repo.updatePullRequest = async (number, options) => {
      if (!bDone && options.title.includes('1.6.0')) {
        bDone = executePromotion(planB, ownerContext, b);
        await bDone;
      }
      return updatePull(number, options);
    };

    await executePromotion(planA, ownerContext, a);

    expect((await bDone)!).toEqual(
      expect.objectContaining({ outcome: 'updated' }),
    );
    const final = branchAndRecord(repo);
    expect(final.record).toBe(final.branch);
    expect(repo.pulls[0].title).toContain(final.branch);
    expect(repo.pulls).toHaveLength(1);
  });
});
