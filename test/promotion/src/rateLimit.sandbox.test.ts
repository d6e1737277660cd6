import { PromotionDeps } from '@backstage-gitops/plugin-gitops-node';
import { Sandbox } from '@internal/gitops-sandbox';
import {
  countingGithubFactory,
  freshStorefrontPromotion,
  planAndExecute,
  sandboxPromotionConfig,
  startPromotionSandbox,
  staticStateReader,
  storefrontContext,
  storefrontState,
} from './sandboxWorld';

jest.setTimeout(120_000);

const CREATE_PULL = 'POST /repos/:owner/:repo/pulls';
const owner = storefrontContext();

const freshPromotion = () => freshStorefrontPromotion('storefront-web-limited');

// GitHub's secondary rate limit (403 + retry-after, "You have exceeded a secondary rate limit")
// as its REST docs describe it, hitting writes in the middle of a promotion.
describe('GitHub secondary rate limit during a promotion', () => {
  let sandbox: Sandbox;
  let github: ReturnType<typeof countingGithubFactory>;

  beforeAll(async () => {
    sandbox = await startPromotionSandbox();
    github = countingGithubFactory(sandbox);
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(() => {
    github.reset();
    sandbox.github.server.secondaryRateLimit.reset();
  });

  const deps = (): PromotionDeps => ({
    state: staticStateReader(storefrontState(sandbox)),
    github: github.factory,
    config: sandboxPromotionConfig(sandbox),
  });
  const repo = () => sandbox.github.store.get('acme', 'web-gitops');
  const pullsOf = (branch: string) =>
    repo().pulls.filter(p => p.head === branch);
  const branchSha = (branch: string) =>
    repo().git.resolve(`refs/heads/${branch}`);
  /** Requests to open a pull request that reached the stand-in, limited or not. */
  const pullRequestWrites = () =>
    sandbox.github.server.secondaryRateLimit.writes.filter(
      w => w === CREATE_PULL,
    ).length;

  /**
   * How many writes a promotion makes before it opens its pull request, from one promotion
   * without the limit, so the limit is armed to hit the pull request.
   */
  async function writesBeforePullRequest(): Promise<number> {
    const { request } = freshPromotion();
    sandbox.github.server.secondaryRateLimit.reset();
    expect((await planAndExecute(request, owner, deps())).outcome).toBe(
      'opened',
    );
    const writes = sandbox.github.server.secondaryRateLimit.writes;
    const index = writes.indexOf(CREATE_PULL);
    expect(index).toBeGreaterThan(0);
    return index;
  }

  it.each([403, 429] as const)(
    'waits out a %s with retry-after and opens exactly one pull request',
    async status => {
      // the branch is already pushed when the limit hits the pull request
      sandbox.github.server.secondaryRateLimit.arm({
        afterWrites: await writesBeforePullRequest(),
        count: 1,
        retryAfterSeconds: 1,
        status,
      });
      const { request, branch } = freshPromotion();
      github.reset();
      const started = Date.now();

      const result = await planAndExecute(request, owner, deps());

      expect(sandbox.github.server.secondaryRateLimit.hits).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(result.outcome).toBe('opened');
      expect(pullsOf(branch)).toHaveLength(1);
      expect(result.pullRequests).toEqual([
        expect.objectContaining({ number: pullsOf(branch)[0].number }),
      ]);
      // the request reached GitHub twice (limited, then accepted), the pull request made once
      expect(pullRequestWrites()).toBe(2);
    },
  );

  it('fails naming the limit when it lasts, and a re-run opens the one pull request', async () => {
    sandbox.github.server.secondaryRateLimit.arm({
      afterWrites: await writesBeforePullRequest(),
      count: null,
      retryAfterSeconds: 1,
    });
    const { request, branch } = freshPromotion();

    await expect(planAndExecute(request, owner, deps())).rejects.toThrow(
      /secondary rate limit/i,
    );
    expect(pullsOf(branch)).toEqual([]);
    // the branch was pushed before the limit hit the pull request: it is left for the re-run
    expect(await branchSha(branch)).toBeDefined();

    sandbox.github.server.secondaryRateLimit.reset();
    const rerun = await planAndExecute(request, owner, deps());
    expect(rerun.outcome).toBe('opened');
    expect(pullsOf(branch)).toHaveLength(1);
    expect(pullRequestWrites()).toBe(1);
  });
});
