import {
  createGithubClient,
  GithubClient,
  KeyedLock,
  PromotionDeps,
} from '@backstage-gitops/plugin-gitops-node';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { Sandbox, sandboxPortalConfig } from '@internal/gitops-sandbox';
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

jest.setTimeout(180_000);

const BRANCH = 'gitops/promote/storefront-web/prod';
const EU_VALUES = 'apps/storefront-web/envs/prod-eu-1/values.yaml';
const US_VALUES = 'apps/storefront-web/envs/prod-us-1/values.yaml';
const owner = storefrontContext();

/**
 * The portal's config promotes prod in ordered waves, [prod-eu-1] then [prod-us-1]; here each
 * prod cluster of storefront-web has a values file of its own, so each wave is a pull request
 * of its own, opened once the previous one is merged.
 */
describe('promotion waves end to end against the GitHub stand-in', () => {
  let sandbox: Sandbox;
  let octokit: GithubClient;
  let github: ReturnType<typeof countingGithubFactory>;
  /** What prod-eu-1 runs: moves to 1.5.0 once the wave 1 pull request is merged (and synced). */
  let euVersion = '1.4.2';
  let original: string;

  beforeAll(async () => {
    sandbox = await startPromotionSandbox();
    github = countingGithubFactory(sandbox);
    const repoUrl = `${sandbox.urls.githubWeb}/acme/web-gitops.git`;
    octokit = await createGithubClient({
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader(sandboxPortalConfig(sandbox)),
      ),
      repoUrl,
    });
    original = await commitClusterValues(sandbox, [EU_VALUES, US_VALUES]);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  function deps(): PromotionDeps {
    const state = storefrontState(sandbox, '1.5.0', {
      'prod-eu-1': { path: EU_VALUES },
      'prod-us-1': { path: US_VALUES },
    });
    const eu = state.environments
      .find(e => e.name === 'prod')!
      .clusters.find(c => c.cluster === 'prod-eu-1')!;
    eu.liveVersion = euVersion;
    eu.desiredVersion = euVersion;
    return {
      state: staticStateReader(state),
      github: github.factory,
      config: sandboxPromotionConfig(sandbox),
      locks: new KeyedLock(),
    };
  }
  const promote = () => planAndExecute(storefrontPromotion, owner, deps());
  const repo = { owner: 'acme', repo: 'web-gitops' };
  const changedFiles = async (number: number) =>
    (
      await octokit.rest.pulls.listFiles({ ...repo, pull_number: number })
    ).data.map(f => f.filename);
  const read = async (path: string, ref: string) =>
    (await (
      await github.factory.forRepo(
        `${sandbox.urls.githubWeb}/acme/web-gitops.git`,
      )
    ).getFile(path, ref))!.content;
  const pulls = () => sandbox.github.store.get('acme', 'web-gitops').pulls;

  it('opens the wave 1 pull request touching only prod-eu-1, then wave 2 for prod-us-1 once it is merged', async () => {
    const expected = original.replace(/(tag:\s*["']?)1\.4\.2/, '$11.5.0');
    expect(pulls().filter(p => p.head.startsWith(BRANCH))).toEqual([]);
    expect(expected).not.toBe(original);

    // wave 1
    const first = await promote();
    expect(first.outcome).toBe('opened');
    expect(first.plan?.waves.map(w => w.clusters)).toEqual([
      ['prod-eu-1'],
      ['prod-us-1'],
    ]);
    expect(first.remainingWaves).toEqual([
      { index: 1, clusters: ['prod-us-1'] },
    ]);
    const [wave1] = first.pullRequests;
    expect(wave1).toMatchObject({
      wave: 0,
      branch: `${BRANCH}--prod-eu-1`,
      action: 'opened',
    });
    expect(await changedFiles(wave1.number)).toEqual([EU_VALUES]);
    expect(await read(EU_VALUES, wave1.branch)).toBe(expected);
    expect(await read(US_VALUES, wave1.branch)).toBe(original);

    // promoting again before the merge gives the same pull request and no wave 2
    const writes = sandbox.github.writes()['acme/web-gitops'];
    const again = await promote();
    expect(again.outcome).toBe('noop');
    expect(again.pullRequests).toEqual([
      expect.objectContaining({ number: wave1.number, action: 'unchanged' }),
    ]);
    expect(sandbox.github.writes()['acme/web-gitops']).toBe(writes);

    // merge wave 1 through the stand-in; Argo CD syncs prod-eu-1
    const { data: merge } = await octokit.rest.pulls.merge({
      ...repo,
      pull_number: wave1.number,
    });
    expect(merge.merged).toBe(true);
    expect(await read(EU_VALUES, 'main')).toBe(expected);
    expect(await read(US_VALUES, 'main')).toBe(original);
    euVersion = '1.5.0';

    // wave 2
    const second = await promote();
    expect(second.outcome).toBe('opened');
    expect(second.plan?.waves.map(w => w.edits.map(e => e.path))).toEqual([
      [],
      [US_VALUES],
    ]);
    expect(second.remainingWaves).toEqual([]);
    const [wave2] = second.pullRequests;
    expect(wave2).toMatchObject({
      wave: 1,
      branch: `${BRANCH}--prod-us-1`,
      action: 'opened',
    });
    expect(wave2.number).not.toBe(wave1.number);
    expect(await changedFiles(wave2.number)).toEqual([US_VALUES]);
    expect(await read(US_VALUES, wave2.branch)).toBe(expected);
    // wave 2 sits on the merged wave 1 and does not supersede it
    expect(await read(EU_VALUES, wave2.branch)).toBe(expected);
    expect(second.superseded).toEqual([]);
    expect(pulls().find(p => p.number === wave1.number)).toMatchObject({
      state: 'closed',
      merged: true,
    });
    expect(
      pulls().filter(p => p.state === 'open' && p.head.startsWith(BRANCH)),
    ).toEqual([expect.objectContaining({ number: wave2.number })]);

    // once wave 2 is merged, prod has the version everywhere
    await octokit.rest.pulls.merge({ ...repo, pull_number: wave2.number });
    const done = await promote();
    expect(done.outcome).toBe('noop');
    expect(done.pullRequests).toEqual([]);
    expect(await read(US_VALUES, 'main')).toBe(expected);
  });
});
