import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderGithubModule from '@backstage/plugin-scaffolder-backend-module-github';
import gitopsScaffolderModule from '@backstage-gitops/plugin-scaffolder-backend-module-gitops';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { templateDir } from './paths';
import { portalGitopsConfig } from './renderService';

jest.setTimeout(120_000);

const group = (name: string, annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, annotations },
  spec: { type: 'team', children: [] },
});

/** Every file of the template folder, as the dry-run API takes them. */
function templateContents(dir = templateDir, prefix = '') {
  const files: { path: string; base64Content: string }[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      files.push(...templateContents(full, rel));
    } else {
      files.push({
        path: rel,
        base64Content: fs.readFileSync(full).toString('base64'),
      });
    }
  }
  return files;
}

const template = yaml.parse(
  fs.readFileSync(path.join(templateDir, 'template.yaml'), 'utf8'),
);

// What the form sends: its JSON schema defaults are filled in by the frontend.
const values = {
  name: 'orders-api',
  description: 'Takes orders',
  owner: 'group:default/team-payments',
  system: 'system:default/commerce',
  port: 8080,
  environments: [{ name: 'dev' }, { name: 'staging' }, { name: 'prod' }],
  repoOwner: 'acme',
  repoName: 'orders-api',
};

describe('gitops-service template, dry run through the scaffolder backend', () => {
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];

  beforeAll(async () => {
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderGithubModule,
        gitopsScaffolderModule,
        catalogServiceMock.factory({
          entities: [
            group('team-payments', {
              'gitops/repo-url': 'http://localhost:7480/acme/payments-gitops',
              'gitops/argocd-project': 'payments',
            }),
            group('team-unprojected', {
              'gitops/repo-url': 'http://localhost:7480/acme/other-gitops',
            }),
            group('team-none'),
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'System',
              metadata: { name: 'commerce' },
              spec: { owner: 'team-payments' },
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'checkout-api' },
              spec: {
                type: 'service',
                owner: 'team-payments',
                lifecycle: 'production',
              },
            },
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            integrations: {
              github: [
                {
                  host: 'localhost:7480',
                  apiBaseUrl: 'http://localhost:7480/api/v3',
                  token: 'unused-in-dry-run',
                },
              ],
            },
            gitops: portalGitopsConfig().get('gitops'),
          },
        }),
      ],
    });
    server = backend.server;
  });

  const dryRun = (overrides: Record<string, unknown> = {}) =>
    request(server)
      .post('/api/scaffolder/v2/dry-run')
      .send({
        template,
        values: { ...values, ...overrides },
        secrets: {},
        directoryContents: templateContents(),
      });

  const stepsRun = (log: { body: { stepId?: string } }[]) => [
    ...new Set(log.map(l => l.body.stepId).filter(Boolean)),
  ];

  it('renders the service repository and the GitOps content', async () => {
    const res = await dryRun();
    expect(res.status).toBe(200);
    const files = new Map<string, string>(
      res.body.directoryContents.map(
        (f: { path: string; base64Content: string }) => [
          f.path,
          Buffer.from(f.base64Content, 'base64').toString('utf8'),
        ],
      ),
    );

    // The GitOps content the pull request carries.
    for (const cluster of ['dev-1', 'staging-1', 'prod-eu-1', 'prod-us-1']) {
      const app = yaml.parse(
        files.get(`gitops/clusters/${cluster}/apps/orders-api.yaml`)!,
      );
      expect(app.metadata.name).toBe(`orders-api-${cluster}`);
      expect(app.spec.project).toBe('payments');
      expect(app.spec.source.repoURL).toBe(
        'http://localhost:7480/acme/payments-gitops.git',
      );
    }
    expect(
      yaml.parse(files.get('gitops/apps/orders-api/envs/prod/values.yaml')!)
        .image,
    ).toEqual({
      repository: 'ghcr.io/acme/orders-api',
      tag: '0.1.0',
    });
    expect(files.has('gitops/apps/orders-api/Chart.yaml')).toBe(true);
    expect(files.has('gitops/apps/orders-api/values.schema.json')).toBe(true);

    // The service repository.
    const entity = yaml.parse(files.get('service/catalog-info.yaml')!);
    expect(entity.metadata.annotations).toMatchObject({
      'argocd/app-selector': 'app.kubernetes.io/name=orders-api',
      'github.com/project-slug': 'acme/orders-api',
    });
    expect(entity.spec).toMatchObject({
      owner: 'group:default/team-payments',
      system: 'system:default/commerce',
    });
    const ci = yaml.parse(files.get('service/.github/workflows/ci.yaml')!);
    expect(ci.env).toEqual({
      IMAGE: 'ghcr.io/acme/orders-api',
      GITOPS_SERVER_URL: 'http://localhost:7480',
      GITOPS_REPO: 'acme/payments-gitops',
      GITOPS_BRANCH: 'main',
      GITOPS_VALUES_FILE: 'apps/orders-api/envs/dev/values.yaml',
      GITOPS_VERSION_KEY: 'image.tag',
      GITOPS_ENVIRONMENT: 'dev',
    });
    const bump = ci.jobs.bump.steps.find((s: any) => /^yq /.test(s.run ?? ''));
    expect(bump.run).toBe(
      'yq -i ".${GITOPS_VERSION_KEY} = strenv(TAG)" "$GITOPS_VALUES_FILE"',
    );
    expect(ci.jobs.build.steps.find((s: any) => s.id === 'tag').run).toContain(
      '${GITHUB_SHA}',
    );
    expect(files.get('service/Dockerfile')).toContain('EXPOSE 8080');
    expect(files.get('service/src/server.js')).toContain(
      "service: 'orders-api'",
    );

    // The pull request step ran in dry-run mode against the team's GitOps repository.
    expect(stepsRun(res.body.log)).toEqual(
      expect.arrayContaining([
        'team',
        'check',
        'chart',
        'gitops',
        'fetch',
        'pr',
      ]),
    );
    // In a dry run the pull request action reports the repository it would have targeted.
    expect(res.body.output.links[1]).toEqual({
      title: 'GitOps pull request',
      url: 'localhost:7480?owner=acme&repo=payments-gitops',
    });
  });

  it("defaults the image to GitHub's registry of the repository owner, on the team's host", async () => {
    const res = await dryRun({ repoOwner: 'Acme-Labs', repoName: 'orders' });
    expect(res.status).toBe(200);
    const file = (name: string) =>
      Buffer.from(
        res.body.directoryContents.find(
          (f: { path: string }) => f.path === name,
        ).base64Content,
        'base64',
      ).toString('utf8');
    expect(
      yaml.parse(file('gitops/apps/orders-api/envs/dev/values.yaml')).image
        .repository,
    ).toBe('ghcr.io/acme-labs/orders-api');
    expect(
      yaml.parse(file('service/catalog-info.yaml')).metadata.annotations[
        'github.com/project-slug'
      ],
    ).toBe('Acme-Labs/orders');
    // No host in the form: the repository goes where the team's GitOps repository is.
    expect(JSON.stringify(template.spec.parameters)).not.toContain('localhost');
    const publish = template.spec.steps.find((s: any) => s.id === 'publish');
    expect(publish.input.repoUrl).toBe(
      '${{ steps.team.output.host }}?owner=${{ parameters.repoOwner }}&repo=${{ parameters.repoName }}',
    );
  });

  it('fails at the team step when the team has no GitOps repository', async () => {
    const res = await dryRun({ owner: 'group:default/team-none' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'The team group:default/team-none has no GitOps repository',
      ),
    });
  });

  it('fails at the GitOps step, before the skeleton, when a cluster is unknown', async () => {
    const res = await dryRun({
      environments: [{ name: 'prod', clusters: ['prod-mars-1'] }],
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        "Unknown cluster 'prod-mars-1' in environment 'prod'",
      ),
    });
  });

  it('fails at the GitOps step, before the skeleton, when no Argo CD project is set', async () => {
    const res = await dryRun({ owner: 'group:default/team-unprojected' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'add the annotation gitops/argocd-project (e.g. team-unprojected) to the owner Group group:default/team-unprojected, or set gitops.template.project',
      ),
    });
  });

  it('fails at the check step, before anything is rendered, when the catalog has the name', async () => {
    const res = await dryRun({ name: 'checkout-api' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        'The catalog already has a Component named checkout-api (component:default/checkout-api)',
      ),
    });
  });

  it.each([
    [{ repoOwner: 'acme/evil' }, 'repoOwner'],
    [{ repoName: 'orders api' }, 'repoName'],
  ])(
    'rejects a repository location that is not a GitHub name (%j)',
    async (input, field) => {
      const res = await dryRun(input);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(
        new RegExp(
          `${field}.*does not match pattern|does not match pattern.*${field}`,
        ),
      );
    },
  );

  it('rejects an invalid service name before any step runs', async () => {
    const res = await dryRun({ name: 'Orders_API' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('does not match pattern');
  });

  // the audit's finding: a system with a newline wrote a second entity into catalog-info.yaml
  it.each([
    [{ system: 'system:default/commerce\n---\nkind: Group' }, 'system'],
    [{ owner: 'group:default/team-payments\n  evil: true' }, 'owner'],
  ])(
    'refuses an owner or system that is not an entity reference (%j) before any step runs',
    async (input, field) => {
      const res = await dryRun(input);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(
        new RegExp(`${field}.*does not match pattern`),
      );
    },
  );

  it('fails at the check step when the system is not in the catalog', async () => {
    const res = await dryRun({ system: 'system:default/nowhere' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'The catalog has no system system:default/nowhere; pick an existing system, or leave it empty',
      ),
    });
  });
});
