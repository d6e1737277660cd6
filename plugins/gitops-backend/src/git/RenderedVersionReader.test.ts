import { mockServices } from '@backstage/backend-test-utils';
import { startFakeServer } from '../__testUtils__/fakeServers';
import { coreSource } from '../__testUtils__/sources';
import { ArgoCdApplicationSource } from '../sources/argocd/ArgoCdApplicationSource';
import { ApplicationStore } from '../store/ApplicationStore';
import { SlimApplication } from '../sources/types';
import { RenderedVersionReader, workloadImages } from './RenderedVersionReader';

const REVISION = '53e28ff20cc530b9ada2173fbbd64d48338583ba';

/** argoproj/argocd-example-apps jsonnet-guestbook, as Argo CD renders guestbook-ui.jsonnet. */
const JSONNET_GUESTBOOK = [
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'jsonnet-guestbook-ui' },
    spec: {
      ports: [{ port: 80, targetPort: 80 }],
      selector: { app: 'jsonnet-guestbook-ui' },
      type: 'LoadBalancer',
    },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'jsonnet-guestbook-ui' },
    spec: {
      replicas: 1,
      revisionHistoryLimit: 3,
      selector: { matchLabels: { app: 'jsonnet-guestbook-ui' } },
      template: {
        metadata: { labels: { app: 'jsonnet-guestbook-ui' } },
        spec: {
          containers: [
            {
              image: 'gcr.io/google-samples/gb-frontend:v5',
              name: 'jsonnet-guestbook-ui',
              ports: [{ containerPort: 80 }],
            },
          ],
        },
      },
    },
  },
].map(m => JSON.stringify(m));

const app = (sourceType = 'Directory'): SlimApplication => ({
  metadata: { name: 'jsonnet-guestbook', namespace: 'argocd', labels: {} },
  destination: { name: 'dev-1' },
  sources: [
    {
      repoURL: 'https://github.com/argoproj/argocd-example-apps.git',
      path: 'jsonnet-guestbook',
      targetRevision: 'HEAD',
      revision: REVISION,
      sourceType,
    },
  ],
  sync: 'Synced',
  health: 'Healthy',
  images: [],
  drift: {
    outOfSync: [],
    requiresPruning: [],
    missing: [],
    comparisonErrors: [],
    expected: [],
  },
});

describe('RenderedVersionReader', () => {
  let server: Awaited<ReturnType<typeof startFakeServer>>;
  const requests: Array<{ url: string; authorization?: string }> = [];
  let manifests = JSONNET_GUESTBOOK;

  beforeEach(async () => {
    requests.length = 0;
    manifests = JSONNET_GUESTBOOK;
    server = await startFakeServer((req, res) => {
      requests.push({
        url: req.url!,
        authorization: req.headers.authorization,
      });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // Argo CD's ManifestResponse
      res.end(
        JSON.stringify({
          manifests,
          namespace: '',
          server: '',
          revision: REVISION,
          sourceType: 'Directory',
        }),
      );
    });
  });

  afterEach(() => server.close());

  function argoSource() {
    return new ArgoCdApplicationSource({
      instance: {
        name: 'edge',
        type: 'argocd',
        url: server.url,
        token: 'edge-token',
        timeoutMs: 1000,
      },
      store: new ApplicationStore([]),
      logger: mockServices.logger.mock(),
      stallTimeoutMs: 60_000,
      pollIntervalMs: 60_000,
    });
  }

  it('reads the version from the one rendered workload image of the service, at the compared revision, once', async () => {
    const reader = new RenderedVersionReader({ sources: [argoSource()] });
    const query = {
      instance: 'edge',
      app: app(),
      serviceNames: ['jsonnet-guestbook'],
      imageRepositories: ['gcr.io/google-samples/gb-frontend'],
    };
    const result = await reader.desiredVersion(query);
    expect(result).toEqual({
      version: 'v5',
      imageRepository: 'gcr.io/google-samples/gb-frontend',
      source: {
        repoUrl: 'https://github.com/argoproj/argocd-example-apps.git',
        path: 'jsonnet-guestbook',
        ref: 'HEAD',
        locator: {
          type: 'rendered-manifests',
          parameters: {
            image: 'gcr.io/google-samples/gb-frontend:v5',
            sourceType: 'Directory',
          },
        },
      },
    });
    expect(requests).toEqual([
      {
        url: `/api/v1/applications/jsonnet-guestbook/manifests?appNamespace=argocd&revision=${REVISION}`,
        authorization: 'Bearer edge-token',
      },
    ]);
    // a second view is served from memory
    expect(reader.cached(query)).toEqual(result);
    await reader.desiredVersion(query);
    expect(reader.upstreamCalls).toBe(1);
  });

  it('says which images it found when none is the service', async () => {
    const reader = new RenderedVersionReader({ sources: [argoSource()] });
    const result = await reader.desiredVersion({
      instance: 'edge',
      app: app('Plugin'),
      serviceNames: ['payments'],
    });
    expect(result.version).toBeUndefined();
    expect(result.reason).toBe(
      "the manifests a config management plugin renders: no rendered image is named payments (rendered: gcr.io/google-samples/gb-frontend:v5); set the gitops/image annotation to the service's image repository",
    );
  });

  it('says why when two rendered images of the service disagree', async () => {
    manifests = [
      ...JSONNET_GUESTBOOK,
      JSON.stringify({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'gb-frontend-warmup' },
        spec: {
          jobTemplate: {
            spec: {
              template: {
                spec: {
                  containers: [
                    {
                      name: 'warmup',
                      image: 'gcr.io/google-samples/gb-frontend:v4',
                    },
                  ],
                },
              },
            },
          },
        },
      }),
    ];
    const reader = new RenderedVersionReader({ sources: [argoSource()] });
    const result = await reader.desiredVersion({
      instance: 'edge',
      app: app(),
      serviceNames: ['gb-frontend'],
    });
    expect(result.reason).toMatch(
      /2 rendered images match the name gb-frontend with different versions \(gcr.io\/google-samples\/gb-frontend:v5, gcr.io\/google-samples\/gb-frontend:v4\)/,
    );
  });

  it('says that a Kubernetes-read instance has no API to render through', async () => {
    const reader = new RenderedVersionReader({
      sources: [coreSource(async () => undefined)],
    });
    const result = await reader.desiredVersion({
      instance: 'core',
      app: app(),
      serviceNames: ['gb-frontend'],
    });
    expect(result.reason).toMatch(
      /^Argo CD renders \(Jsonnet or plain manifests\) the manifests of jsonnet-guestbook from https:\/\/github.com\/argoproj\/argocd-example-apps.git, and instance core is read through Kubernetes, with no Argo CD API configured/,
    );
  });

  it('gives a reason, not an error, when the instance refuses', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'permission denied', code: 7 }));
    });
    const reader = new RenderedVersionReader({ sources: [argoSource()] });
    const result = await reader.desiredVersion({
      instance: 'edge',
      app: app(),
      serviceNames: ['gb-frontend'],
    });
    expect(result.reason).toMatch(/could not be read from instance edge/);
  });
});

describe('workloadImages', () => {
  it('takes container and init container images of workloads only, once each', () => {
    expect(
      workloadImages([
        ...JSONNET_GUESTBOOK,
        JSON.stringify({
          kind: 'StatefulSet',
          spec: {
            template: {
              spec: {
                initContainers: [{ image: 'busybox:1.36' }],
                containers: [{ image: 'gcr.io/google-samples/gb-frontend:v5' }],
              },
            },
          },
        }),
        JSON.stringify({ kind: 'ConfigMap', data: { image: 'not-an-image' } }),
        'not json: [',
      ]),
    ).toEqual(['gcr.io/google-samples/gb-frontend:v5', 'busybox:1.36']);
  });
});
