import {
  executePromotion,
  planPromotion,
  PromotionDeps,
} from '@backstage-gitops/plugin-gitops-node';
import { Sandbox } from '@internal/gitops-sandbox';
import {
  countingGithubFactory,
  sandboxPromotionConfig,
  startIsolatedSandbox,
  staticStateReader,
  storefrontContext,
  storefrontPromotion,
  storefrontState,
} from './sandboxWorld';

jest.setTimeout(120_000);

const PATH = 'apps/storefront-web/envs/prod/values.yaml';
const BRANCH = 'gitops/promote/storefront-web/prod';
const owner = storefrontContext();
const request = storefrontPromotion;

describe('promotion against the GitHub stand-in', () => {
  let sandbox: Sandbox;
  let github: ReturnType<typeof countingGithubFactory>;

  beforeAll(async () => {
    sandbox = await startIsolatedSandbox();
    github = countingGithubFactory(sandbox);
  });
  afterAll(async () => {
    await sandbox.stop();
  });
  beforeEach(() => github?.reset());

  const deps = (stagingVersion = '1.5.0'): PromotionDeps => ({
    state: staticStateReader(storefrontState(sandbox, stagingVersion)),
    github: github.factory,
    config: sandboxPromotionConfig(sandbox),
  });

  async function read(path: string, ref: string): Promise<string | undefined> {
    const client = await github.factory.forRepo(
      `${sandbox.urls.githubWeb}/acme/web-gitops.git`,
    );
    return (await client.getFile(path, ref))?.content;
  }

  it('opens one pull request that changes only the version scalar, in at most 8 calls', async () => {
    const before = await read(PATH, 'main');
    github.reset();

    const plan = await planPromotion(request, owner, deps());
    const result = await executePromotion(plan, owner, deps());

    expect(result.outcome).toBe('opened');
    expect(github.counts.calls).toBeLessThanOrEqual(8);
    expect(result.pullRequests[0]).toMatchObject({
      branch: BRANCH,
      action: 'opened',
    });

    const after = await read(PATH, BRANCH);
    const main = await read(PATH, 'main');
    expect(main).toBe(before);
    const edit = plan.waves[0].edits[0];
    expect(after).toBe(
      before!.replace(
        new RegExp(`(tag:\\s*["']?)${edit.fromVersion!.replace(/\./g, '\\.')}`),
        `$1${edit.toVersion}`,
      ),
    );
    expect(after!.length - before!.length).toBe(
      edit.toVersion.length - edit.fromVersion!.length,
    );
  });

  it('writes nothing when the same promotion runs again', async () => {
    const writesBefore = sandbox.github.writes();
    const result = await executePromotion(
      await planPromotion(request, owner, deps()),
      owner,
      deps(),
    );
    expect(result.outcome).toBe('noop');
    expect(result.pullRequests[0].action).toBe('unchanged');
    expect(github.counts.writes).toBe(0);
    expect(sandbox.github.writes()).toEqual(writesBefore);
  });

  it('supersedes the open pull request with a newer version', async () => {
    const result = await executePromotion(
      await planPromotion(request, owner, deps('1.6.0')),
      owner,
      deps('1.6.0'),
    );
    expect(result.outcome).toBe('updated');
    expect(result.superseded).toHaveLength(1);
    expect(await read(PATH, BRANCH)).toMatch(/tag:\s*["']?1\.6\.0/);
    expect(github.counts.byRoute['POST /repos/{owner}/{repo}/pulls'] ?? 0).toBe(
      0,
    );
  });

  it('gives exactly one pull request for 10 simultaneous identical promotions', async () => {
    const fresh = { ...request, entityRef: 'component:default/storefront-web' };
    const d = deps('1.7.0');
    const results = await Promise.all(
      Array.from({ length: 10 }, async () =>
        executePromotion(await planPromotion(fresh, owner, d), owner, d),
      ),
    );
    const numbers = new Set(
      results.flatMap(r => r.pullRequests.map(p => p.number)),
    );
    expect(numbers.size).toBe(1);
    expect(results.filter(r => r.outcome === 'updated')).toHaveLength(1);
    expect(results.filter(r => r.outcome === 'noop')).toHaveLength(9);
  });
});
