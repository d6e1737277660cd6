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
          'acme/values/prod/api.yaml': 'image:\n  tag: 2.2.0\n',
          // the alias bomb of the hardening audit (issue 17), 5,000 aliases in 50 KB
          'acme/gitops/apps/bomb/values.yaml': `base: &b {x: 1}\nimage:\n  tag: 1.0.0\nitems:\n${'  - *b\n'.repeat(
            5000,
          )}`,
          'acme/gitops/apps/jobs/kustomization.yml':
            'images:\n  - name: ghcr.io/acme/jobs\n    newTag: 4.0.0\n',
          'acme/gitops/apps/cron/Kustomization':
            'images:\n  - name: ghcr.io/acme/cron\n    newTag: 5.0.0\n',
          'acme/gitops/apps/both/kustomization.yaml':
            'images:\n  - name: ghcr.io/acme/both\n    newTag: 6.0.0\n',
          'acme/gitops/apps/both/kustomization.yml':
            'images:\n  - name: ghcr.io/acme/both\n    newTag: 0.0.1\n',
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
    return new DesiredVersionReader(readerOptions(helmValuesKey));
  }

  function readerOptions(helmValuesKey = 'image.tag') {
    return {
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
    };
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
    // then the value file before it, for the image repository set beside the key
    expect(calls).toEqual([
      `/api/v3/repos/acme/gitops/contents/apps%2Fapi%2Fenvs%2Fprod%2Fvalues.yaml?ref=${sha}`,
      `/api/v3/repos/acme/gitops/contents/apps%2Fapi%2Fvalues.yaml?ref=${sha}`,
    ]);
    await r.desiredVersion(application, ['api']);
    expect(calls).toHaveLength(2);
    expect(r.cached(application, ['api'])?.version).toBe('2.1.0');
    // the state's desiredSource.description: the locator's words and the file
    expect(r.describe(desired.source!)).toBe(
      'Helm values key image.tag in apps/api/envs/prod/values.yaml',
    );
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

  it.each([
    ['kustomization.yml', 'jobs', '4.0.0'],
    ['Kustomization', 'cron', '5.0.0'],
    ['kustomization.yaml', 'both', '6.0.0'],
  ])(
    'finds the kustomization as %s, looking for the names in kustomize order',
    async (file, service, version) => {
      const desired = await reader().desiredVersion(
        app({ path: `apps/${service}` }),
        [service],
      );
      expect(desired).toMatchObject({
        version,
        source: {
          path: `apps/${service}/${file}`,
          locator: {
            type: 'kustomize-image',
            image: `ghcr.io/acme/${service}`,
          },
        },
      });
      const tried = [
        'kustomization.yaml',
        'kustomization.yml',
        'Kustomization',
      ];
      expect(calls.map(c => decodeURIComponent(c.split('?')[0]))).toEqual(
        tried
          .slice(0, tried.indexOf(file) + 1)
          .map(
            name =>
              `/api/v3/repos/acme/gitops/contents/apps/${service}/${name}`,
          ),
      );
    },
  );

  it("reads a multi-source chart's $ref value file in the ref source's repository, at that source's revision", async () => {
    const valuesSha = 'c'.repeat(40);
    const application = app({});
    application.sources = [
      {
        repoURL: 'https://charts.example.com',
        chart: 'golden-path',
        targetRevision: '3.0.0',
        valueFiles: ['$values/prod/api.yaml'],
        revision: '3.0.0',
      },
      {
        repoURL: `${github.url}/acme/values.git`,
        targetRevision: 'main',
        ref: 'values',
        revision: valuesSha,
      },
    ];
    expect(await reader().desiredVersion(application, ['api'])).toMatchObject({
      version: '2.2.0',
      source: {
        repoUrl: `${github.url}/acme/values.git`,
        path: 'prod/api.yaml',
        ref: 'main',
        locator: { type: 'helm-values', key: 'image.tag' },
      },
    });
    expect(calls).toEqual([
      `/api/v3/repos/acme/values/contents/prod%2Fapi.yaml?ref=${valuesSha}`,
    ]);
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

  it('refuses a file beyond the YAML limits with a git error naming the limit', async () => {
    await expect(
      reader().desiredVersion(app({ path: 'apps/bomb' }), ['bomb']),
    ).rejects.toThrow(
      /apps\/bomb\/values.yaml has more than 1000 aliases \(gitops.yamlLimits.maxAliases\)/,
    );
    const small = new DesiredVersionReader({
      ...readerOptions(),
      yamlLimits: { maxBytes: 10, maxAliases: 1000 },
    });
    await expect(
      small.desiredVersion(app({ path: 'apps/web' }), ['web']),
    ).rejects.toThrow(
      /apps\/web\/values.yaml is 19 bytes; the limit is 10 bytes/,
    );
  });

  it('answers a failed read from memory for a while instead of asking GitHub again', async () => {
    const r = reader();
    const missing = app({
      path: 'apps/api',
      valueFiles: ['envs/qa/values.yaml'],
    });

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

  describe('credentials', () => {
    let second: Awaited<ReturnType<typeof startFakeServer>>;
    const seen: Array<{ server: string; authorization?: string }> = [];

    function recording(name: string, files: Record<string, string>) {
      const handler = fakeGithub(files);
      return (req: any, res: any) => {
        seen.push({ server: name, authorization: req.headers.authorization });
        handler(req, res);
      };
    }

    beforeAll(async () => {
      second = await startFakeServer(
        recording('second', {
          'platform/deploy/apps/api/values.yaml': 'image:\n  tag: 7.0.0\n',
        }),
      );
    });
    afterAll(() => second.close());
    beforeEach(() => {
      seen.length = 0;
    });

    const integrations = () =>
      ScmIntegrations.fromConfig(
        new ConfigReader({
          integrations: {
            github: [
              {
                host: new URL(github.url).host,
                apiBaseUrl: `${github.url}/api/v3`,
                token: 'first-token',
              },
              {
                host: new URL(second.url).host,
                apiBaseUrl: `${second.url}/api/v3`,
                token: 'second-token',
              },
            ],
          },
        }),
      );

    it("reads a repository of a second integration host with that host's token", async () => {
      const r = new DesiredVersionReader({
        integrations: integrations(),
        logger: mockServices.logger.mock(),
        helmValuesKey: 'image.tag',
      });
      const desired = await r.desiredVersion(
        app({
          repoURL: `${second.url}/platform/deploy.git`,
          path: 'apps/api',
        }),
        ['api'],
      );
      expect(desired.version).toBe('7.0.0');
      expect(seen.length).toBeGreaterThan(0);
      expect(new Set(seen.map(x => `${x.server} ${x.authorization}`))).toEqual(
        new Set(['second Bearer second-token']),
      );
      expect(calls).toEqual([]);
    });

    it('asks for credentials on every request, for the repository requested', async () => {
      let issued = 0;
      const credentialsProvider = {
        getCredentials: jest.fn(async (_: { url: string }) => {
          const token = `token-${++issued}`;
          return {
            type: 'token' as const,
            token,
            headers: { Authorization: `Bearer ${token}` },
          };
        }),
      };
      second.setHandler(
        recording('second', {
          'platform/deploy/apps/api/values.yaml': 'image:\n  tag: 7.0.0\n',
          'platform/deploy/apps/web/values.yaml': 'image:\n  tag: 8.0.0\n',
        }),
      );
      const r = new DesiredVersionReader({
        integrations: integrations(),
        credentialsProvider,
        logger: mockServices.logger.mock(),
        helmValuesKey: 'image.tag',
      });
      const repoURL = `${second.url}/platform/deploy.git`;
      await r.desiredVersion(app({ repoURL, path: 'apps/api' }), ['api']);
      await r.desiredVersion(app({ repoURL, path: 'apps/web' }), ['web']);

      // each app: three kustomization names tried, then values.yaml; a fresh token for each
      expect(seen.map(s => s.authorization)).toEqual(
        Array.from({ length: 8 }, (_, i) => `Bearer token-${i + 1}`),
      );
      expect(
        new Set(
          credentialsProvider.getCredentials.mock.calls.map(c => c[0].url),
        ),
      ).toEqual(
        new Set([`https://${new URL(second.url).host}/platform/deploy`]),
      );
    });
  });
});
