import { Entity } from '@backstage/catalog-model';
import {
  ClusterState,
  emptyDrift,
  EntityGitopsState,
  EnvironmentHistory,
} from '@backstage-gitops/plugin-gitops-common';
import { ConfigReader } from '@backstage/config';
import { readGitopsConfig } from '@backstage-gitops/plugin-gitops-node';
import { fullApplication } from '../__testUtils__/applications';
import { projectApplication } from '../sources/projectApplication';
import { ApplicationStore } from '../store/ApplicationStore';
import { ReadinessService } from './ReadinessService';

const config = readGitopsConfig(
  new ConfigReader({
    gitops: {
      environments: [
        { name: 'dev', title: 'Development', clusters: ['dev-1'] },
        { name: 'prod', title: 'Production', clusters: ['prod-1', 'prod-2'] },
      ],
      clusters: [{ name: 'dev-1' }, { name: 'prod-1' }, { name: 'prod-2' }],
      instances: [
        { name: 'core', type: 'kubernetes', url: 'https://core.example.com' },
        {
          name: 'rest',
          type: 'argocd',
          url: 'https://argocd.example.com',
          token: 'x',
        },
      ],
      readiness: {
        digestRequiredIn: ['prod'],
        checks: { 'network-policy': { environments: { dev: 'off' } } },
      },
    },
  }),
);

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'api', namespace: 'default' },
  spec: {},
};

function store() {
  const apps = new ApplicationStore([]);
  for (const [instance, cluster, automated] of [
    ['core', 'dev-1', true],
    ['core', 'prod-1', false],
    ['rest', 'prod-2', false],
  ] as const) {
    const app = fullApplication({
      name: `api-${cluster}`,
      service: 'api',
      cluster,
      version: '1.0.0',
    });
    app.spec.project = 'team-a';
    app.spec.syncPolicy = automated
      ? { automated: { prune: true, selfHeal: false } }
      : {};
    apps.upsert(instance, projectApplication(app));
  }
  return apps;
}

const cell = (
  environment: string,
  cluster: string,
  instance: string,
): ClusterState => ({
  cluster,
  environment,
  application: { instance, namespace: 'argocd', name: `api-${cluster}` },
  sync: 'Synced',
  health: 'Healthy',
  liveImages: [],
  liveVersion: '1.0.0',
  drift: emptyDrift(),
  skew: false,
});

const state: EntityGitopsState = {
  entityRef: 'component:default/api',
  status: 'ok',
  errors: [],
  updatedAt: '2024-05-01T10:00:00Z',
  environments: [
    {
      name: 'dev',
      title: 'Development',
      clusters: [cell('dev', 'dev-1', 'core')],
      versions: ['1.0.0'],
      skew: false,
      health: 'Healthy',
      sync: 'Synced',
    },
    {
      name: 'prod',
      title: 'Production',
      clusters: [
        cell('prod', 'prod-1', 'core'),
        cell('prod', 'prod-2', 'rest'),
      ],
      versions: ['1.0.0'],
      skew: false,
      health: 'Healthy',
      sync: 'Synced',
    },
  ],
};

const RESTRICTED_DEPLOYMENT = JSON.stringify({
  kind: 'Deployment',
  metadata: { name: 'api' },
  spec: {
    template: {
      spec: {
        securityContext: { runAsNonRoot: true },
        containers: [
          {
            name: 'api',
            readinessProbe: {},
            livenessProbe: {},
            securityContext: { readOnlyRootFilesystem: true },
          },
        ],
      },
    },
  },
});

function service(options: { manifests?: () => Promise<string[]> } = {}) {
  const history = async (
    _entity: Entity,
    environment: string,
  ): Promise<EnvironmentHistory> => ({
    entityRef: 'component:default/api',
    environment,
    errors: [],
    entries: ['1.0.0', '0.9.0'].map((version, i) => ({
      cluster: environment === 'dev' ? 'dev-1' : 'prod-1',
      application: { instance: 'core', namespace: 'argocd', name: 'x' },
      id: 2 - i,
      version,
      images: [],
    })),
  });
  return new ReadinessService({
    config,
    store: store(),
    sources: [
      { instance: 'core' },
      {
        instance: 'rest',
        getManifests:
          options.manifests ?? (async () => [RESTRICTED_DEPLOYMENT]),
      },
    ],
    versions: {
      helmValues: async () => ({
        values: {
          image: { tag: 'latest' },
          replicaCount: 2,
          probes: { readiness: {}, liveness: {} },
          resources: {
            requests: { cpu: '1', memory: '1Gi' },
            limits: { cpu: '1', memory: '1Gi' },
          },
        },
        files: ['values.yaml'],
        chartDefaultsUnknown: false,
        unreadFileParameters: [],
      }),
    },
    history: { getHistory: history },
    waitMs: 200,
  });
}

const result = (
  readiness: Awaited<ReturnType<ReadinessService['readiness']>>,
  environment: string,
  id: string,
) =>
  readiness!
    .find(r => r.environment === environment)!
    .checks.find(c => c.id === id);

describe('ReadinessService', () => {
  it('checks each environment with its sync policy, severities and digest rule', async () => {
    const readiness = await service().readiness(entity, state);
    expect(readiness!.map(r => r.environment)).toEqual(['dev', 'prod']);
    const dev = readiness![0].checks.map(c => c.id);
    expect(dev).toContain('sync-self-heal');
    expect(dev).not.toContain('image-digest');
    expect(dev).not.toContain('network-policy');
    expect(result(readiness, 'dev', 'sync-self-heal')).toMatchObject({
      result: 'fail',
      reason: 'automated.selfHeal is false',
      severity: 'error',
    });
    const prod = readiness![1].checks.map(c => c.id);
    expect(prod).toContain('image-digest');
    expect(prod).not.toContain('sync-prune');
    expect(result(readiness, 'prod', 'sync-automated')?.result).toBe('pass');
    expect(result(readiness, 'prod', 'image-tag')).toMatchObject({
      result: 'fail',
      reason: 'image.tag is latest, a moving tag',
      howToFix:
        'Set the image tag in the values to a version or Git sha, not latest and not empty',
    });
  });

  it('names the cluster whose rendered manifests are unknown, and folds the worst result', async () => {
    const readiness = await service().readiness(entity, state);
    // prod-2 renders probes through Argo CD's API; prod-1 is read through Kubernetes
    expect(result(readiness, 'prod', 'manifest-probes')).toMatchObject({
      result: 'unknown',
      reason: expect.stringMatching(
        /^prod-1: instance core is read through Kubernetes/,
      ),
    });
    // prod-2 has no history of its own: fail wins over prod-1's pass
    expect(result(readiness, 'prod', 'rollback')).toMatchObject({
      result: 'fail',
      reason: 'prod-2: Argo CD holds no history for this Application',
    });
    expect(readiness![0].counts.pass).toBeGreaterThan(0);
  });

  it('says why when the rendered manifests cannot be read or take too long', async () => {
    const failing = await service({
      manifests: async () => {
        throw new Error('403 permission denied');
      },
    }).readiness(entity, state);
    expect(result(failing, 'prod', 'no-plain-secrets')?.reason).toContain(
      'prod-2: the rendered manifests could not be read from instance rest: 403 permission denied',
    );
    const slow = await service({
      manifests: () => new Promise(() => {}),
    }).readiness(entity, state);
    expect(result(slow, 'prod', 'no-plain-secrets')?.reason).toContain(
      'prod-2: still reading after 200 ms',
    );
  });

  it('answers from the caches at once with waitMs 0, and from the filled caches next time', async () => {
    const readinessService = service({
      manifests: () =>
        new Promise(resolve =>
          setTimeout(() => resolve([RESTRICTED_DEPLOYMENT]), 20),
        ),
    });
    const first = await readinessService.readiness(entity, state, {
      waitMs: 0,
    });
    expect(result(first, 'prod', 'no-plain-secrets')).toMatchObject({
      result: 'unknown',
      reason: expect.stringContaining(
        'prod-2: being read; the result appears with the next update of the state',
      ),
    });
    await new Promise(resolve => setTimeout(resolve, 50));
    const next = await readinessService.readiness(entity, state, {
      waitMs: 0,
    });
    expect(result(next, 'prod', 'no-plain-secrets')?.reason).toBe(
      'prod-1: instance core is read through Kubernetes, which does not render manifests; configure it as type argocd (url and token) to check them',
    );
    expect(result(next, 'prod', 'security-context')?.reason).not.toContain(
      'prod-2',
    );
  });

  it('says why an environment without Applications has no checks, and is off when disabled', async () => {
    const empty = await service().readiness(entity, {
      ...state,
      environments: [{ ...state.environments[0], clusters: [] }],
    });
    expect(empty).toEqual([
      {
        environment: 'dev',
        checks: [],
        reason: 'no Application of this service lands in this environment',
        counts: { pass: 0, fail: 0, unknown: 0 },
      },
    ]);
    const off = new ReadinessService({
      config: { ...config, readiness: { ...config.readiness, enabled: false } },
      store: store(),
      sources: [],
      versions: { helmValues: async () => undefined },
      history: { getHistory: async () => ({} as any) },
    });
    expect(await off.readiness(entity, state)).toBeUndefined();
  });
});
