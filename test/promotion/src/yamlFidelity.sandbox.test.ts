import {
  PromotionPlan,
  PromotionResult,
  VersionLocator,
  VersionSource,
} from '@backstage-gitops/plugin-gitops-common';
import {
  mockClusterState,
  mockEntityState,
} from '@backstage-gitops/plugin-gitops-common/testUtils';
import {
  createGithubClient,
  executePromotion,
  KeyedLock,
  planPromotion,
  PromotionDeps,
} from '@backstage-gitops/plugin-gitops-node';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { Sandbox, sandboxPortalConfig } from '@internal/gitops-sandbox';
import fs from 'node:fs';
import path from 'node:path';
import {
  countingGithubFactory,
  sandboxPromotionConfig,
  startPromotionSandbox,
  staticStateReader,
  storefrontContext,
} from './sandboxWorld';

jest.setTimeout(180_000);

const FIXTURES = path.resolve(__dirname, '../fixtures/yaml');
const OLD_DIGEST =
  'sha256:cba06b5736faf67e54b07b561eae94395e774c517a7d910a54369e1263ccfbd4';
const NEW_DIGEST =
  'sha256:11507a0e2f5e69d5dfa40a62a1bd7b6ee57e6bcd85c67c9b8431b36fff21c437';
/** What staging runs, and every fixture is promoted to: the tag (or chart version) and digest. */
const VERSION = '2.0.0';
const OLD_DIGEST_2 =
  'sha256:893a3cfd3912a125b2419774d2752a3bb8cc175927cd5b421336e4f028607452';

const helm = (key: string): VersionLocator => ({ type: 'helm-values', key });
const kustomize = (image: string): VersionLocator => ({
  type: 'kustomize-image',
  image,
});
const chart: VersionLocator = { type: 'chart-revision' };

interface FidelityCase {
  file: string;
  locator: VersionLocator;
  /** The version field as the file shows it, quotes included. */
  from: string;
  /** 1-based line of the version field. */
  line: number;
}

/** Every fixture file, where its version is and what the promotion sets it to. */
const cases: FidelityCase[] = [
  {
    file: 'ingress-nginx.values.yaml',
    locator: helm('controller.image.tag'),
    from: '"v1.11.2"',
    line: 25,
  },
  {
    file: 'bitnami-postgresql.values.yaml',
    locator: helm('image.tag'),
    from: '16.4.0-debian-12-r0',
    line: 38,
  },
  {
    file: 'kube-prometheus-stack.values.yaml',
    locator: helm('prometheus.prometheusSpec.image.tag'),
    from: 'v2.54.1',
    line: 39,
  },
  {
    file: 'cert-manager.values.yaml',
    locator: helm('image.tag'),
    from: 'v1.15.3',
    line: 43,
  },
  {
    file: 'argo-cd.values.yaml',
    locator: helm('global.image.tag'),
    from: "'v2.12.3'",
    line: 26,
  },
  {
    file: 'grafana.values.yaml',
    locator: helm('image.tag'),
    from: '"11.2.0"',
    line: 34,
  },
  {
    file: 'kustomization-overlay-prod.yaml',
    locator: kustomize('ghcr.io/acme/storefront-web'),
    from: '1.4.2',
    line: 38,
  },
  {
    file: 'kustomization-newname.yaml',
    locator: kustomize(
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/acme/orders-api',
    ),
    from: '"2024.09.14-3f2a9c1"',
    line: 9,
  },
  {
    file: 'kustomization-digest.yaml',
    locator: kustomize('ghcr.io/acme/payments-worker'),
    from: `3.8.0@${OLD_DIGEST}`,
    line: 15,
  },
  {
    file: 'kustomization-flow.yaml',
    locator: kustomize('ghcr.io/acme/search-api'),
    from: '"5.2.0"',
    line: 6,
  },
  {
    file: 'kustomization-crlf.yaml',
    locator: kustomize('ghcr.io/acme/billing-api'),
    from: '2.9.4',
    line: 10,
  },
  { file: 'application-chart.yaml', locator: chart, from: '4.11.2', line: 17 },
  {
    file: 'application-multi-source.yaml',
    locator: chart,
    from: '"1.8.0"',
    line: 12,
  },
  {
    file: 'application-multi-doc.yaml',
    locator: chart,
    from: "'0.14.7'",
    line: 27,
  },
  {
    file: 'application-multi-doc-crlf.yaml',
    locator: chart,
    from: '"7.0.3"',
    line: 19,
  },
  {
    file: 'values-anchors.yaml',
    locator: helm('image.tag'),
    from: '1.4.2',
    line: 15,
  },
  {
    file: 'values-merge-key.yaml',
    locator: helm('image.tag'),
    from: '0.9.3',
    line: 9,
  },
  {
    file: 'values-anchor-on-tag.yaml',
    locator: helm('image.tag'),
    from: '2.0.1',
    line: 3,
  },
  {
    file: 'values-flow-map.yaml',
    locator: helm('image.tag'),
    from: '3.1.4',
    line: 3,
  },
  {
    file: 'values-flow-map-multiline.yaml',
    locator: helm('image.tag'),
    from: '"8.0.2"',
    line: 3,
  },
  {
    file: 'values-deep.yaml',
    locator: helm(
      'platform.services.accounts.deployment.containers.main.image.tag',
    ),
    from: '12.3.0-rc.2',
    line: 15,
  },
  {
    file: 'values-indexed.yaml',
    locator: helm('deployments[1].image.tag'),
    from: '4.0.1',
    line: 10,
  },
  {
    file: 'values-tag-digest.yaml',
    locator: helm('image.tag'),
    from: `3.8.0@${OLD_DIGEST}`,
    line: 4,
  },
  {
    file: 'values-tag-digest-quoted.yaml',
    locator: helm('image.tag'),
    from: `"2.4.0@${OLD_DIGEST_2}"`,
    line: 4,
  },
  {
    file: 'values-digest-only.yaml',
    locator: helm('image.digest'),
    from: OLD_DIGEST,
    line: 5,
  },
  {
    file: 'values-crlf.yaml',
    locator: helm('image.tag'),
    from: '1.4.2',
    line: 7,
  },
  {
    file: 'values-crlf-single-quoted.yaml',
    locator: helm('image.tag'),
    from: "'v0.31.0'",
    line: 3,
  },
  {
    file: 'values-no-trailing-newline.yaml',
    locator: helm('image.tag'),
    from: '1.0.9',
    line: 3,
  },
  {
    file: 'values-unicode-comments.yaml',
    locator: helm('image.tag'),
    from: '5.6.7',
    line: 5,
  },
  {
    file: 'values-whitespace.yaml',
    locator: helm('image.tag'),
    from: '0.2.11',
    line: 4,
  },
  {
    file: 'values-comment-before-value.yaml',
    locator: helm('image.tag'),
    from: '1.12.0-alpine',
    line: 5,
  },
  {
    file: 'values-explicit-str.yaml',
    locator: helm('image.tag'),
    from: '2024.10.01',
    line: 4,
  },
  {
    file: 'values-directive.yaml',
    locator: helm('image.tag'),
    from: 'v3.0.0-beta.4',
    line: 6,
  },
  {
    file: 'values-same-value-elsewhere.yaml',
    locator: helm('image.tag'),
    from: '1.4.2',
    line: 6,
  },
  { file: 'Chart.yaml', locator: helm('appVersion'), from: '"1.4.2"', line: 8 },
  {
    file: 'helmrelease-style.values.yaml',
    locator: helm('image.tag'),
    from: '"2.10.0"',
    line: 7,
  },
  {
    file: 'values-long.yaml',
    locator: helm('image.tag'),
    from: '7.19.0',
    line: 12,
  },
  {
    file: 'values-bom.yaml',
    locator: helm('image.tag'),
    from: '"4.2.0"',
    line: 4,
  },
];

/** What the file must show after the promotion: the new version in the old quoting style. */
function expectedToken(c: FidelityCase): string {
  const quote = /^["']/.test(c.from) ? c.from[0] : '';
  const bare = c.from.replace(/^["']|["']$/g, '');
  let value = VERSION;
  if (/^sha256:/.test(bare)) {
    value = NEW_DIGEST;
  } else if (bare.includes('@')) {
    value = `${VERSION}@${NEW_DIGEST}`;
  }
  return `${quote}${value}${quote}`;
}

/** A cluster per fixture, so that one promotion edits every file (one wave, one pull request). */
const clusterOf = (index: number) => `prod-f${String(index).padStart(2, '0')}`;

/**
 * Why `after` is not `before` with exactly `from` replaced by `to` on `line`; `undefined` when it
 * is. Compares bytes (each byte one latin1 character), so line endings, BOMs and multi-byte
 * characters count.
 */
function scalarOnlyDiff(
  beforeBytes: Buffer,
  afterBytes: Buffer,
  from: string,
  to: string,
  line: number,
): string | undefined {
  const before = beforeBytes.toString('latin1');
  const after = afterBytes.toString('latin1');
  let common = 0;
  while (
    common < before.length &&
    common < after.length &&
    before[common] === after[common]
  ) {
    common++;
  }
  for (let at = Math.max(0, common - from.length); at <= common; at++) {
    if (
      before.startsWith(from, at) &&
      after.startsWith(to, at) &&
      before.slice(at + from.length) === after.slice(at + to.length)
    ) {
      const editedLine = before.slice(0, at).split('\n').length;
      return editedLine === line
        ? undefined
        : `the version changed on line ${editedLine}, not ${line}`;
    }
  }
  const show = (text: string) =>
    JSON.stringify(text.slice(Math.max(0, common - 40), common + 80));
  return `the files differ beyond ${from} -> ${to}: first difference at byte ${common}, before ${show(
    before,
  )}, after ${show(after)}`;
}

describe('YAML fidelity of promotions through the GitHub stand-in', () => {
  const ENTITY = 'component:default/fidelity-web';
  const BRANCH = 'gitops/promote/fidelity-web/prod';
  let sandbox: Sandbox;
  let readRaw: (filePath: string, ref: string) => Promise<Buffer>;
  let plan: PromotionPlan;
  let result: PromotionResult;
  const repoUrl = () => `${sandbox.urls.githubWeb}/acme/web-gitops.git`;
  const repoPath = (file: string) => `apps/fidelity/${file}`;
  const original = (file: string) => fs.readFileSync(path.join(FIXTURES, file));

  beforeAll(async () => {
    sandbox = await startPromotionSandbox();
    await sandbox.github.store.commitFiles('acme', 'web-gitops', {
      message: 'fidelity fixtures',
      files: Object.fromEntries(
        cases.map(c => [repoPath(c.file), original(c.file).toString('utf8')]),
      ),
    });
    const octokit = await createGithubClient({
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader(sandboxPortalConfig(sandbox)),
      ),
      repoUrl: repoUrl(),
    });
    readRaw = async (filePath, ref) => {
      const { data } = await octokit.rest.repos.getContent({
        owner: 'acme',
        repo: 'web-gitops',
        path: filePath,
        ref,
      });
      if (Array.isArray(data) || data.type !== 'file') {
        throw new Error(`${filePath} is not a file`);
      }
      return Buffer.from(data.content!, 'base64');
    };

    // staging runs VERSION (with its digest); prod has one cluster per fixture file
    const cell = (
      environment: string,
      cluster: string,
      source: Partial<VersionSource> = {},
    ) =>
      mockClusterState({
        environment,
        cluster,
        version: environment === 'staging' ? VERSION : '0.0.1',
        service: 'fidelity-web',
        repoUrl: repoUrl(),
        source,
      });
    const staging = cell('staging', 'staging-1');
    staging.liveImages = [`ghcr.io/acme/fidelity-web:${VERSION}@${NEW_DIGEST}`];
    const state = mockEntityState(ENTITY, [
      staging,
      ...cases.map((c, i) =>
        cell('prod', clusterOf(i), {
          path: repoPath(c.file),
          locator: c.locator,
        }),
      ),
    ]);
    const config = sandboxPromotionConfig(sandbox);
    const deps: PromotionDeps = {
      state: staticStateReader(state),
      github: countingGithubFactory(sandbox).factory,
      config: {
        ...config,
        environments: [
          { name: 'staging', clusters: ['staging-1'] },
          { name: 'prod', clusters: cases.map((_, i) => clusterOf(i)) },
        ],
        waves: {},
      },
      locks: new KeyedLock(),
    };
    const context = storefrontContext();
    const request = { entityRef: ENTITY, from: 'staging', to: 'prod' };
    plan = await planPromotion(request, context, deps);
    result = await executePromotion(plan, context, deps);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('has at least 30 fixture files, every one of them with a case', () => {
    const onDisk = fs
      .readdirSync(FIXTURES)
      .filter(f => f.endsWith('.yaml'))
      .sort();
    expect(onDisk.length).toBeGreaterThanOrEqual(30);
    expect(cases.map(c => c.file).sort()).toEqual(onDisk);
    // the CRLF fixtures are still CRLF (git did not normalize them)
    for (const file of onDisk.filter(f => f.includes('crlf'))) {
      const text = original(file).toString('latin1');
      expect(text.split('\n').length - 1).toBe(text.split('\r\n').length - 1);
    }
  });

  it('opens one pull request editing every fixture', () => {
    expect(result.outcome).toBe('opened');
    expect(result.pullRequests).toEqual([
      expect.objectContaining({ branch: BRANCH, action: 'opened' }),
    ]);
    expect(plan.waves).toHaveLength(1);
    expect(plan.waves[0].edits.map(e => e.path).sort()).toEqual(
      cases.map(c => repoPath(c.file)).sort(),
    );
  });

  it.each(cases.map(c => [c.file, c] as const))(
    '%s: the pull request changes only the version scalar',
    async (_file, c) => {
      const edit = plan.waves[0].edits.find(e => e.path === repoPath(c.file));
      expect(edit?.fromVersion).toBe(c.from.replace(/^["'](.*)["']$/, '$1'));
      expect(edit?.line).toBe(c.line);
      const before = original(c.file);
      // committed byte for byte, and the base branch is untouched
      expect(await readRaw(repoPath(c.file), 'main')).toEqual(before);
      const after = await readRaw(repoPath(c.file), BRANCH);
      expect(
        scalarOnlyDiff(before, after, c.from, expectedToken(c), c.line),
      ).toBeUndefined();
    },
  );

  it('detects a change beside the version scalar (the check can fail)', () => {
    const before = Buffer.from('image:\r\n  tag: 1.4.2 # x\r\n');
    const to = (text: string) => Buffer.from(text);
    expect(
      scalarOnlyDiff(
        before,
        to('image:\r\n  tag: 1.5.0 # x\r\n'),
        '1.4.2',
        '1.5.0',
        2,
      ),
    ).toBeUndefined();
    expect(
      scalarOnlyDiff(
        before,
        to('image:\n  tag: 1.5.0 # x\n'),
        '1.4.2',
        '1.5.0',
        2,
      ),
    ).toMatch(/differ/);
    expect(
      scalarOnlyDiff(
        before,
        to('image:\r\n  tag: "1.5.0" # x\r\n'),
        '1.4.2',
        '1.5.0',
        2,
      ),
    ).toMatch(/differ/);
    expect(
      scalarOnlyDiff(
        before,
        to('image:\r\n  tag: 1.5.0 # x\r\n'),
        '1.4.2',
        '1.5.0',
        1,
      ),
    ).toMatch(/line 2/);
  });
});
