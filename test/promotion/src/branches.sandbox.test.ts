import { PromotionDeps } from '@backstage-gitops/plugin-gitops-node';
import { VersionSource } from '@backstage-gitops/plugin-gitops-common';
import { Sandbox } from '@internal/gitops-sandbox';
import {
  commitClusterValues,
  countingGithubFactory,
  planAndExecute,
  sandboxPromotionConfig,
  startPromotionSandbox,
  staticStateReader,
  storefrontContext,
  storefrontPromotion,
  storefrontState,
} from './sandboxWorld';

jest.setTimeout(120_000);

const BRANCH = 'gitops/promote/storefront-web/prod';
const US_VALUES = 'apps/storefront-web/envs/prod-us-1/values.yaml';
const owner = storefrontContext();

describe('promotion branches against the GitHub stand-in', () => {
  let sandbox: Sandbox;
  let github: ReturnType<typeof countingGithubFactory>;

  beforeAll(async () => {
    sandbox = await startPromotionSandbox();
    github = countingGithubFactory(sandbox);
    // prod-us-1 gets a values file of its own, so prod-eu-1 can be promoted alone
    await commitClusterValues(sandbox, [US_VALUES]);
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  const pulls = () => sandbox.github.store.get('acme', 'web-gitops').pulls;
  const comments = () =>
    sandbox.github.store.get('acme', 'web-gitops').comments;

  function deps(
    stagingVersion: string,
    sources: Record<string, Partial<VersionSource>>,
    options: { waves?: boolean } = {},
  ): PromotionDeps {
    const config = sandboxPromotionConfig(sandbox);
    return {
      state: staticStateReader(
        storefrontState(sandbox, stagingVersion, sources),
      ),
      github: github.factory,
      config: options.waves === false ? { ...config, waves: {} } : config,
    };
  }
  const promote = (d: PromotionDeps) =>
    planAndExecute(storefrontPromotion, owner, d);

  it('opens the pull request of Applications tracking HEAD against the default branch', async () => {
    github.reset();
    const d = deps('1.5.0', {
      'prod-eu-1': { ref: 'HEAD' },
      'prod-us-1': { ref: 'HEAD', path: US_VALUES },
    });

    const result = await promote(d);

    expect(result.outcome).toBe('opened');
    // the portal's config promotes prod in two waves
    expect(
      result.plan?.waves.flatMap(w => w.edits.map(e => e.baseBranch)),
    ).toEqual(['main', 'main']);
    expect(github.counts.byRoute['GET /repos/{owner}/{repo}']).toBe(1);
    const pull = pulls().find(p => p.number === result.pullRequests[0].number);
    expect(pull).toMatchObject({
      head: `${BRANCH}--prod-eu-1`,
      base: 'main',
      state: 'open',
    });
  });

  it('closes that pull request when a newer version goes to the whole environment on another branch', async () => {
    const [older] = pulls().filter(p => p.head === `${BRANCH}--prod-eu-1`);
    const d = deps(
      '1.6.0',
      { 'prod-us-1': { path: US_VALUES } },
      { waves: false },
    );

    const result = await promote(d);

    expect(result.outcome).toBe('opened');
    expect(result.pullRequests[0].branch).toBe(BRANCH);
    expect(result.superseded).toEqual([
      expect.objectContaining({ number: older.number, action: 'closed' }),
    ]);
    const after = pulls();
    expect(after.find(p => p.number === older.number)?.state).toBe('closed');
    expect(after.find(p => p.head === BRANCH)?.state).toBe('open');
    expect(
      comments().find(c => c.issueNumber === older.number)?.body,
    ).toContain(`Superseded by ${result.pullRequests[0].url}`);
  });

  it('writes nothing when the superseding promotion runs again', async () => {
    const before = sandbox.github.writes()['acme/web-gitops'];
    const d = deps(
      '1.6.0',
      { 'prod-us-1': { path: US_VALUES } },
      { waves: false },
    );

    const again = await promote(d);

    expect(again.outcome).toBe('noop');
    expect(sandbox.github.writes()['acme/web-gitops']).toBe(before);
  });
});
