import { mockPromotionPlan } from '@backstage-gitops/plugin-gitops-common/testUtils';
import { executePromotion } from './executePromotion';
import { planPromotion } from './planPromotion';
import {
  pullRequestBody,
  serviceCompareUrl,
  serviceRepositoryUrl,
} from './pullRequestText';
import {
  cell,
  deps,
  entityState,
  FakeRepo,
  ownerContext,
  stateReader,
} from './__testUtils__/fakes';

describe('serviceRepositoryUrl', () => {
  it('puts the project slug on the host of the GitOps repository', () => {
    expect(
      serviceRepositoryUrl(
        'https://github.example/acme/payments-gitops',
        'acme/checkout-api',
      ),
    ).toBe('https://github.example/acme/checkout-api');
    expect(
      serviceRepositoryUrl(
        'http://localhost:7480/acme/web-gitops',
        'acme/storefront-web.git',
      ),
    ).toBe('http://localhost:7480/acme/storefront-web');
  });

  it('gives nothing without a slug or with one that is not owner/repo', () => {
    const gitops = 'https://github.com/acme/gitops';
    expect(serviceRepositoryUrl(gitops, undefined)).toBeUndefined();
    expect(serviceRepositoryUrl(gitops, '')).toBeUndefined();
    expect(serviceRepositoryUrl(gitops, 'checkout-api')).toBeUndefined();
    expect(
      serviceRepositoryUrl(gitops, 'acme/checkout-api/extra'),
    ).toBeUndefined();
    expect(serviceRepositoryUrl(gitops, '../evil')).toBeUndefined();
    expect(
      serviceRepositoryUrl(gitops, 'acme/x)](https://evil.example'),
    ).toBeUndefined();
    expect(
      serviceRepositoryUrl('not a url', 'acme/checkout-api'),
    ).toBeUndefined();
  });
});

describe('serviceCompareUrl', () => {
  const repo = 'https://github.com/acme/checkout-api';

  it('compares the target version with the promoted one, by tag', () => {
    expect(serviceCompareUrl(repo, '1.4.2', '1.5.0')).toBe(
      'https://github.com/acme/checkout-api/compare/1.4.2...1.5.0',
    );
    expect(
      serviceCompareUrl(
        repo,
        `v1.4.2@sha256:${'a'.repeat(64)}`,
        'v1.5.0+build.7',
      ),
    ).toBe(
      'https://github.com/acme/checkout-api/compare/v1.4.2...v1.5.0%2Bbuild.7',
    );
  });

  it('gives nothing for a bare digest, which names no tag to compare', () => {
    expect(
      serviceCompareUrl(repo, `sha256:${'a'.repeat(64)}`, '1.5.0'),
    ).toBeUndefined();
    expect(
      serviceCompareUrl(repo, '1.4.2', `sha256:${'b'.repeat(64)}`),
    ).toBeUndefined();
  });
});

describe('pullRequestBody', () => {
  const plan = mockPromotionPlan({ fromVersion: '1.4.2', version: '1.5.0' });
  const marker = {
    entityRef: plan.entityRef,
    to: plan.to,
    clusters: plan.targets,
    version: plan.version,
    values: {},
  };
  const compareUrl =
    'https://github.example/acme/gitops/compare/main...gitops/promote/checkout-api/prod';
  const now = new Date('2025-06-04T10:00:00Z');

  function rows(body: string) {
    return body
      .split('\n')
      .filter(line => line.startsWith('| ') && !line.startsWith('| |'));
  }

  it('links the service compare view and keeps the GitOps diff as its own row', () => {
    const body = pullRequestBody({
      plan,
      wave: plan.waves[0],
      marker,
      compareUrl,
      serviceRepoUrl: 'https://github.example/acme/checkout-api',
      now,
    });
    expect(rows(body)).toEqual(
      expect.arrayContaining([
        '| Service changes | [1.4.2...1.5.0](https://github.example/acme/checkout-api/compare/1.4.2...1.5.0) |',
        `| GitOps diff | [gitops/promote/checkout-api/prod](${compareUrl}) |`,
      ]),
    );
  });

  it('has one service link per version the target clusters ran', () => {
    const twoFiles = mockPromotionPlan({ version: '1.5.0' });
    const wave = twoFiles.waves[0];
    wave.edits = [
      { ...wave.edits[0], fromVersion: '1.4.2', clusters: ['prod-eu-1'] },
      {
        ...wave.edits[0],
        path: 'apps/checkout-api/envs/prod/us.yaml',
        fromVersion: '1.3.0',
        clusters: ['prod-us-1'],
      },
    ];
    const body = pullRequestBody({
      plan: twoFiles,
      wave,
      marker,
      compareUrl,
      serviceRepoUrl: 'https://github.com/acme/checkout-api',
      now,
    });
    expect(rows(body)).toContain(
      '| Service changes | [1.4.2...1.5.0](https://github.com/acme/checkout-api/compare/1.4.2...1.5.0), [1.3.0...1.5.0](https://github.com/acme/checkout-api/compare/1.3.0...1.5.0) |',
    );
  });

  it('has no service row without the service repository', () => {
    const body = pullRequestBody({
      plan,
      wave: plan.waves[0],
      marker,
      compareUrl,
      now,
    });
    expect(body).not.toContain('Service changes');
    expect(rows(body)).toContain(
      `| GitOps diff | [gitops/promote/checkout-api/prod](${compareUrl}) |`,
    );
  });
});

describe('the promotion pull request', () => {
  const request = {
    entityRef: 'component:default/checkout-api',
    from: 'staging',
    to: 'prod',
  };

  async function openPullRequest(projectSlug?: string) {
    const repo = new FakeRepo({
      'apps/checkout-api/envs/prod/values.yaml': 'image:\n  tag: "1.4.2"\n',
    });
    const state = entityState([
      cell('staging', 'staging-1', { liveVersion: '1.5.0' }),
      cell('prod', 'prod-eu-1', { liveVersion: '1.4.2' }),
      cell('prod', 'prod-us-1', { liveVersion: '1.4.2' }),
    ]);
    const context = { ...ownerContext, projectSlug };
    const d = deps(repo, stateReader(state));
    const result = await executePromotion(
      await planPromotion(request, context, d),
      context,
      d,
    );
    expect(result.outcome).toBe('opened');
    return repo.pulls[0].body;
  }

  it("links the service's compare view when the entity has github.com/project-slug", async () => {
    const body = await openPullRequest('acme/checkout-api');
    expect(body).toContain(
      '| Service changes | [1.4.2...1.5.0](https://github.example/acme/checkout-api/compare/1.4.2...1.5.0) |',
    );
    expect(body).toContain(
      '| GitOps diff | [gitops/promote/checkout-api/prod](https://github.example/acme/gitops/compare/main...gitops/promote/checkout-api/prod) |',
    );
  });

  it('has only the GitOps diff without the annotation', async () => {
    const body = await openPullRequest(undefined);
    expect(body).not.toContain('Service changes');
    expect(body).toContain('/compare/main...gitops/promote/checkout-api/prod');
  });
});
