import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { emptyDrift } from '@backstage-gitops/plugin-gitops-common';
import { fakeGithub, startFakeServer } from '../__testUtils__/fakeServers';
import { SlimApplication, SlimSource } from '../sources/types';
import { DesiredVersionReader, GitReadError } from './DesiredVersionReader';

describe('DesiredVersionReader', () => {
  let github: Awaited<ReturnType<typeof startFakeServer>>;
  const calls: string[] = [];
  const sha = 'b'.repeat(40);

  beforeAll(async () => {
    github = await startFakeServer(
      fakeGithub(
        {
          'acme/gitops/apps/api/envs/prod/values.yaml':
            'image:\n  tag: 2.1.0\n',
          'acme/gitops/apps/api/values.yaml': 'image:\n  tag: 1.0.0\n',
          'acme/gitops/apps/worker/overlays/prod/kustomization.yaml':
            'images:\n  - name: ghcr.io/acme/sidecar\n    newTag: 9.9.9\n  - name: ghcr.io/acme/worker\n    newTag: 3.2.1\n',
          'acme/gitops/apps/web/values.yaml': 'app:\n  version: v5\n',
        },
        calls,
      ),
    );
  });
  afterAll(() => github.close());
  beforeEach(() => {
    calls.length = 0;
  });

  function reader(helmValuesKey = 'image.tag') {
    return new DesiredVersionReader({
      integrations: ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            github: [
              {
                host: new URL(github.url).host,
                apiBaseUrl: `${github.url}/api/v3`,
                token: 't',
              },
            ],
          },
        }),
      ),
      logger: mockServices.logger.mock(),
      helmValuesKey,
    });
  }

  function app(source: Partial<SlimSource>): SlimApplication {
    return {
      metadata: { name: 'a', namespace: 'argocd', labels: {} },
      destination: { name: 'prod-eu-1' },
      sources: [
        {
          repoURL: `${github.url}/acme/gitops.git`,
          targetRevision: 'main',
          revision: sha,
          ...source,
        },
      ],
      sync: 'Synced',
      health: 'Healthy',
      images: [],
      drift: emptyDrift(),
    };
  }

  it('reads the Helm values key of the last value file, at the synced commit, once', async () => {
    const r = reader();
    const application = app({
      path: 'apps/api',
      valueFiles: ['values.yaml', 'envs/prod/values.yaml'],
    });
    const desired = await r.desiredVersion(application, ['api']);
    expect(desired).toMatchObject({
      version: '2.1.0',
      source: {
        path: 'apps/api/envs/prod/values.yaml',
        ref: 'main',
        locator: { type: 'helm-values', key: 'image.tag' },
      },
    });
    expect(calls).toEqual([
      `/api/v3/repos/acme/gitops/contents/apps%2Fapi%2Fenvs%2Fprod%2Fvalues.yaml?ref=${sha}`,
    ]);
    await r.desiredVersion(application, ['api']);
    expect(calls).toHaveLength(1);
    expect(r.cached(application, ['api'])?.version).toBe('2.1.0');
  });

  it('reads a configured values key', async () => {
    const desired = await reader('app.version').desiredVersion(
      app({ path: 'apps/web' }),
      ['web'],
    );
    expect(desired.version).toBe('v5');
  });

  it("reads the service's Kustomize image newTag", async () => {
    const desired = await reader().desiredVersion(
      app({ path: 'apps/worker/overlays/prod' }),
      ['worker'],
    );
    expect(desired).toMatchObject({
      version: '3.2.1',
      source: {
        locator: { type: 'kustomize-image', image: 'ghcr.io/acme/worker' },
      },
    });
  });

  it('takes chart pins from targetRevision without reading Git', async () => {
    const desired = await reader().desiredVersion(
      app({
        repoURL: 'https://charts.example.com',
        chart: 'api',
        targetRevision: '4.5.6',
      }),
      ['api'],
    );
    expect(desired).toMatchObject({
      version: '4.5.6',
      source: { locator: { type: 'chart-revision' } },
    });
    expect(calls).toHaveLength(0);
  });

  it('turns a missing file into a git error naming it', async () => {
    await expect(
      reader().desiredVersion(
        app({ path: 'apps/api', valueFiles: ['envs/qa/values.yaml'] }),
        ['api'],
      ),
    ).rejects.toThrow(GitReadError);
    await expect(
      reader().desiredVersion(
        app({ path: 'apps/api', valueFiles: ['envs/qa/values.yaml'] }),
        ['api'],
      ),
    ).rejects.toThrow(
      /apps\/api\/envs\/qa\/values.yaml not found in acme\/gitops/,
    );
  });

  it('answers a failed read from memory for a while instead of asking GitHub again', async () => {
    const r = reader();
    const missing = app({ path: 'apps/api', valueFiles: ['envs/qa/values.yaml'] });

    await expect(r.desiredVersion(missing, ['api'])).rejects.toThrow(
      GitReadError,
    );
    const firstCalls = calls.length;
    expect(firstCalls).toBeGreaterThan(0);
    await expect(r.desiredVersion(missing, ['api'])).rejects.toThrow(
      /not found in acme\/gitops/,
    );

    expect(calls).toHaveLength(firstCalls);
  });
});
