import { PromotionResult } from '@backstage-gitops/plugin-gitops-common';
import {
  executePromotion,
  KeyedLock,
  planPromotion,
  PromotionDeps,
} from '@backstage-gitops/plugin-gitops-node';
import { Sandbox } from '@internal/gitops-sandbox';
import {
  countingGithubFactory,
  sandboxPromotionConfig,
  startPromotionSandbox,
  staticStateReader,
  storefrontContext,
  storefrontPromotion,
  storefrontState,
} from './sandboxWorld';

jest.setTimeout(240_000);

const PATH = 'apps/storefront-web/envs/prod/values.yaml';
const BRANCH = 'gitops/promote/storefront-web/prod';
const REPO = 'acme/web-gitops';

/**
 * Identical promotions racing each other from separate "replicas": each has its own GitHub
 * client and its own lock, so nothing in the process serializes them; only GitHub's answers
 * (branch exists, pull request exists) can keep them to one pull request.
 */
describe('concurrent promotions against the GitHub stand-in', () => {
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startPromotionSandbox();
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  const pulls = () => sandbox.github.store.get('acme', 'web-gitops').pulls;
  const writes = () => sandbox.github.writes()[REPO] ?? 0;

  /** One replica: its own client factory (Octokit) and lock. */
  function replica(): {
    deps: PromotionDeps;
    counts: ReturnType<typeof countingGithubFactory>['counts'];
  } {
    const github = countingGithubFactory(sandbox);
    return {
      counts: github.counts,
      deps: {
        state: staticStateReader(storefrontState(sandbox, '1.5.0')),
        github: github.factory,
        config: sandboxPromotionConfig(sandbox),
        locks: new KeyedLock(),
      },
    };
  }

  async function race(n: number) {
    const replicas = Array.from({ length: n }, replica);
    const owner = storefrontContext();
    // every replica plans before any executes, as when the requests arrive together
    const plans = await Promise.all(
      replicas.map(r => planPromotion(storefrontPromotion, owner, r.deps)),
    );
    const results = await Promise.all(
      replicas.map((r, i) => executePromotion(plans[i], owner, r.deps)),
    );
    return { replicas, results };
  }

  async function readFile(ref: string) {
    const client = await countingGithubFactory(sandbox).factory.forRepo(
      `${sandbox.urls.githubWeb}/${REPO}.git`,
    );
    return (await client.getFile(PATH, ref))?.content;
  }

  it('gives exactly one pull request for 10 simultaneous identical promotions, from none', async () => {
    // starts from no pull request and no branch, whatever ran before
    expect(pulls().filter(p => p.head.startsWith(BRANCH))).toEqual([]);
    const before = await readFile('main');
    expect(before).toMatch(/tag:\s*["']?1\.4\.2/);
    const writesBefore = writes();

    const { replicas, results } = await race(10);
    const calls = (route: string) =>
      replicas.reduce((sum, r) => sum + (r.counts.byRoute[route] ?? 0), 0);
    // the race reached GitHub: several replicas tried to create the branch and the pull
    // request, and all but one were told it exists (422)
    expect(calls('POST /repos/{owner}/{repo}/git/refs')).toBeGreaterThan(1);
    expect(calls('POST /repos/{owner}/{repo}/pulls')).toBeGreaterThan(1);

    const numbers = new Set(
      results.flatMap(r => r.pullRequests.map(p => p.number)),
    );
    expect(numbers.size).toBe(1);
    const open = pulls().filter(
      p => p.state === 'open' && p.head.startsWith(BRANCH),
    );
    expect(open).toHaveLength(1);
    expect(open[0].number).toBe([...numbers][0]);
    expect(pulls().filter(p => p.head.startsWith(BRANCH))).toHaveLength(1);

    const outcomes = results.map((r: PromotionResult) => r.outcome);
    expect(outcomes.filter(o => o === 'opened')).toHaveLength(1);
    expect(
      outcomes
        .filter(o => o !== 'opened')
        .every(o => o === 'updated' || o === 'noop'),
    ).toBe(true);

    // the opener writes tree, commit, branch, pull request and labels (5); a loser at most a
    // tree, a commit and a force-move of the branch to the same content (3)
    const written = writes() - writesBefore;
    expect(written).toBeGreaterThanOrEqual(5);
    expect(written).toBeLessThanOrEqual(5 + 9 * 3);

    // whoever won, the branch holds exactly the planned edit and main is untouched
    expect(await readFile('main')).toBe(before);
    expect(await readFile(BRANCH)).toBe(
      before!.replace(/(tag:\s*["']?)1\.4\.2/, '$11.5.0'),
    );
  });

  it('writes nothing when the same promotion runs again, even 10 at once', async () => {
    const writesBefore = writes();
    const pullsBefore = JSON.stringify(pulls());

    const { replicas, results } = await race(10);

    expect(results.map(r => r.outcome)).toEqual(Array(10).fill('noop'));
    expect(results.map(r => r.pullRequests.map(p => p.action)).flat()).toEqual(
      Array(10).fill('unchanged'),
    );
    expect(replicas.map(r => r.counts.writes)).toEqual(Array(10).fill(0));
    expect(writes()).toBe(writesBefore);
    expect(JSON.stringify(pulls())).toBe(pullsBefore);
  });
});
