import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  emptyDrift,
  EntityGitopsState,
} from '@backstage-gitops/plugin-gitops-common';
import type { SlimApplication } from '@backstage-gitops/plugin-gitops-node';
// the plugin the module extends, as a portal's backend adds it
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import gitopsPlugin from '@backstage-gitops/plugin-gitops-backend';
import request from 'supertest';
import { MemoryApplications } from './memoryApplications';
import { MemoryGitHost } from './memoryGitHost';
import { createExampleGitopsModule } from './module';

const HOST = 'git.example.test';
const REPO = 'acme/web-gitops';
const AUTH = mockCredentials.user.header('user:default/jane');

function application(
  environment: string,
  repoUrl: string,
  version: string,
): SlimApplication {
  return {
    metadata: {
      name: `web-${environment}`,
      namespace: 'apps',
      labels: { 'app.kubernetes.io/name': 'web' },
    },
    destination: { name: `${environment}-1` },
    sources: [
      { repoURL: repoUrl, path: `web/${environment}`, targetRevision: 'main' },
    ],
    sync: 'Synced',
    health: 'Healthy',
    images: [`registry.example.test/acme/web:${version}`],
    drift: emptyDrift(),
  };
}

describe('a backend module using the three GitOps extension points', () => {
  const applications = new MemoryApplications();
  const gitHost = new MemoryGitHost(HOST);
  const repoUrl = gitHost.addRepository(REPO, {
    'web/staging/release.json':
      '{\n  "name": "web",\n  "version": "1.3.0"\n}\n',
    'web/prod/release.json': '{\n  "name": "web",\n  "version": "1.2.0"\n}\n',
  });
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    applications.set('lab', [
      application('staging', repoUrl, '1.3.0'),
      application('prod', repoUrl, '1.2.0'),
    ]);
    backend = await startTestBackend({
      features: [
        gitopsPlugin,
        createExampleGitopsModule({ applications, gitHost }),
        mockServices.rootConfig.factory({
          data: {
            // promotion is refused while the permission framework is off
            permission: { enabled: true },
            gitops: {
              environments: [
                { name: 'staging', clusters: ['staging-1'] },
                { name: 'prod', clusters: ['prod-1'] },
              ],
              clusters: [{ name: 'staging-1' }, { name: 'prod-1' }],
              instances: [{ name: 'lab', type: 'memory' }],
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'web',
                annotations: {
                  'argocd/app-selector': 'app.kubernetes.io/name=web',
                },
              },
              spec: {
                type: 'service',
                lifecycle: 'production',
                owner: 'group:default/team-web',
              },
            },
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Group',
              metadata: {
                name: 'team-web',
                annotations: { 'gitops/repo-url': repoUrl },
              },
              spec: { type: 'team', children: [] },
            },
          ],
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      ],
    });
  });
  afterAll(() => backend?.stop());

  async function state(): Promise<EntityGitopsState> {
    const res = await request(backend.server)
      .get('/api/gitops/v1/state/component/default/web')
      .set('Authorization', AUTH);
    expect(res.status).toBe(200);
    return res.body;
  }

  it('shows the Applications of the module source with the versions its locator read through its Git host', async () => {
    const { environments, errors } = await state();
    expect(errors).toEqual([]);
    expect(
      environments.map(e =>
        e.clusters.map(c => ({
          cluster: c.cluster,
          instance: c.application?.instance,
          desired: c.desiredVersion,
          path: c.desiredSource?.path,
          locator: c.desiredSource?.locator,
        })),
      ),
    ).toEqual([
      [
        {
          cluster: 'staging-1',
          instance: 'lab',
          desired: '1.3.0',
          path: 'web/staging/release.json',
          locator: { type: 'release-json' },
        },
      ],
      [
        {
          cluster: 'prod-1',
          instance: 'lab',
          desired: '1.2.0',
          path: 'web/prod/release.json',
          locator: { type: 'release-json' },
        },
      ],
    ]);
  });

  it('promotes through the module Git host, writing the version where its locator says', async () => {
    const res = await request(backend.server)
      .post('/api/gitops/v1/promotions')
      .set('Authorization', AUTH)
      .send({
        entityRef: 'component:default/web',
        from: 'staging',
        to: 'prod',
      });
    expect(res.status).toBe(201);

    const repository = gitHost.repository(REPO);
    const [pull] = repository.pullRequests;
    expect(pull).toMatchObject({ state: 'open', base: 'main' });
    expect(repository.file('web/prod/release.json', pull.branch)).toBe(
      '{\n  "name": "web",\n  "version": "1.3.0"\n}\n',
    );
    expect(repository.file('web/prod/release.json', 'main')).toContain(
      '"version": "1.2.0"',
    );
  });

  it('refuses at start-up an instance type no module registered, naming the key and the types', async () => {
    await expect(
      startTestBackend({
        features: [
          gitopsPlugin,
          mockServices.rootConfig.factory({
            data: {
              gitops: {
                environments: [{ name: 'dev', clusters: [] }],
                clusters: [],
                instances: [{ name: 'lab', type: 'memory' }],
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(
      /gitops\.instances\[0\]\.type: no source reads instances of type memory \(registered types: kubernetes, argocd\)/,
    );
  });
});
