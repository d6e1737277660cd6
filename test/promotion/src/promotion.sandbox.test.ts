import {
  executePromotion,
  planPromotion,
  PromotionDeps,
} from '@backstage-gitops/plugin-gitops-node';
import { PromotionRequest } from '@backstage-gitops/plugin-gitops-common';
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

const PATH = 'apps/storefront-web/envs/prod/values.yaml';
const owner = storefrontContext();

// each test promotes its own entity, so it does not depend on the others' order
const freshPromotion = () => freshStorefrontPromotion();

describe('promotion against the GitHub stand-in', () => {
  let sandbox: Sandbox;
  let github: ReturnType<typeof countingGithubFactory>;

  beforeAll(async () => {
    sandbox = await startPromotionSandbox();
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
  const promote = (request: PromotionRequest, stagingVersion?: string) =>
    planAndExecute(request, owner, deps(stagingVersion));
  const openPulls = (branch: string) =>
    sandbox.github.store
      .get('acme', 'web-gitops')
      .pulls.filter(p => p.head === branch && p.state === 'open');

  async function read(path: string, ref: string): Promise<string | undefined> {
    const client = await github.factory.forRepo(
      `${sandbox.urls.githubWeb}/acme/web-gitops.git`,
    );
    return (await client.getFile(path, ref))?.content;
  }

  it('opens one pull request that changes only the version scalar, in at most 8 calls', async () => {
    const { request, branch } = freshPromotion();
    const before = await read(PATH, 'main');
    github.reset();

    const plan = await planPromotion(request, owner, deps());
    const result = await executePromotion(plan, owner, deps());

    expect(result.outcome).toBe('opened');
    expect(github.counts.calls).toBeLessThanOrEqual(8);
    expect(result.pullRequests[0]).toMatchObject({
      branch,
      action: 'opened',
    });
    expect(openPulls(branch)).toHaveLength(1);

    const after = await read(PATH, branch);
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
    const { request, branch } = freshPromotion();
    expect((await promote(request)).outcome).toBe('opened');
    github.reset();
    const writesBefore = sandbox.github.writes();

    const result = await promote(request);

    expect(result.outcome).toBe('noop');
    expect(result.pullRequests[0].action).toBe('unchanged');
    expect(github.counts.writes).toBe(0);
    expect(sandbox.github.writes()).toEqual(writesBefore);
    expect(openPulls(branch)).toHaveLength(1);
  });

  it('supersedes the open pull request with a newer version', async () => {
    const { request, branch } = freshPromotion();
    const first = await promote(request);
    expect(first.outcome).toBe('opened');
    github.reset();

    const result = await promote(request, '1.6.0');

    expect(result.outcome).toBe('updated');
    expect(result.superseded).toEqual([
      expect.objectContaining({
        number: first.pullRequests[0].number,
        action: 'updated',
      }),
    ]);
    expect(await read(PATH, branch)).toMatch(/tag:\s*["']?1\.6\.0/);
    expect(github.counts.byRoute['POST /repos/{owner}/{repo}/pulls'] ?? 0).toBe(
      0,
    );
    expect(openPulls(branch)).toHaveLength(1);
  });

  it('updates an open pull request once for 10 simultaneous identical newer promotions in one process', async () => {
    const { request, branch } = freshPromotion();
    const first = await promote(request);
    expect(first.outcome).toBe('opened');
    // one replica: the engine's default lock is shared by the 10
    const d = deps('1.7.0');

    const results = await Promise.all(
      Array.from({ length: 10 }, async () => planAndExecute(request, owner, d)),
    );

    const numbers = new Set(
      results.flatMap(r => r.pullRequests.map(p => p.number)),
    );
    expect([...numbers]).toEqual([first.pullRequests[0].number]);
    expect(results.filter(r => r.outcome === 'updated')).toHaveLength(1);
    expect(results.filter(r => r.outcome === 'noop')).toHaveLength(9);
    expect(openPulls(branch)).toHaveLength(1);
    expect(await read(PATH, branch)).toMatch(/tag:\s*["']?1\.7\.0/);
  });
});
