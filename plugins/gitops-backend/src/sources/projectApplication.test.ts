import { fullApplication } from '../__testUtils__/applications';
import {
  MalformedApplicationError,
  projectApplication,
  projectionBytes,
} from './projectApplication';

describe('projectApplication', () => {
  it('keeps at most 1 KB of a realistic Application', () => {
    const full = fullApplication({
      name: 'checkout-api-prod-eu-1',
      service: 'checkout-api',
      cluster: 'prod-eu-1',
      environment: 'prod',
      version: '1.4.2',
    });
    full.status.resources.push(
      ...Array.from({ length: 40 }, (_, i) => ({
        kind: 'ConfigMap',
        namespace: 'checkout-api',
        name: `drifted-config-map-with-a-long-name-${i}`,
        status: 'OutOfSync',
      })),
    );
    full.status.conditions.push({
      type: 'ComparisonError',
      message: 'x'.repeat(2000),
    });
    const slim = projectApplication(full);
    // the images are pooled and kept whole, outside the budget
    const size = projectionBytes(slim);
    expect(JSON.stringify(full).length).toBeGreaterThan(10_000);
    expect(size).toBeLessThanOrEqual(1024);
    expect(size).toBeGreaterThan(500);
    expect(slim).toMatchObject({
      metadata: {
        name: 'checkout-api-prod-eu-1',
        namespace: 'argocd',
        resourceVersion: '1',
      },
      project: 'payments',
      destination: { name: 'prod-eu-1' },
      sources: [
        {
          path: 'apps/checkout-api',
          valueFiles: ['envs/prod/values.yaml'],
          revision: 'a'.repeat(40),
        },
      ],
      sync: 'Synced',
      health: 'Healthy',
      lastSyncedAt: '2024-05-02T09:59:30Z',
      historyId: 10,
    });
    expect(slim.drift.outOfSync.length).toBeGreaterThan(0);
    // shared by every automated Application with prune and selfHeal, outside the budget
    expect(slim.automatedSync).toEqual(['prune', 'selfHeal']);
    expect(Object.isFrozen(slim.automatedSync)).toBe(true);
    expect(slim.drift.outOfSync.length + (slim.drift.omitted ?? 0)).toBe(40);
    expect(slim.drift.counts).toEqual({
      outOfSync: 40,
      requiresPruning: 0,
      missing: 0,
      expected: 0,
    });
    expect(slim.drift.comparisonErrors[0]).toMatch(/^ComparisonError: x+/);
  });

  it('keeps the sync policy and ignoreDifferences within the budget, for readiness', () => {
    const full = fullApplication({
      name: 'checkout-api-prod-eu-1',
      service: 'checkout-api',
      cluster: 'prod-eu-1',
      version: '1.4.2',
    });
    full.spec.syncPolicy = {
      automated: { prune: true, selfHeal: false },
      syncOptions: ['CreateNamespace=true'],
    };
    full.spec.ignoreDifferences = Array.from({ length: 20 }, (_, i) => ({
      group: 'apps',
      kind: 'Deployment',
      name: `worker-${i}`,
      jsonPointers: ['/spec/replicas', `/metadata/${'x'.repeat(300)}`],
      managedFieldsManagers: ['kube-controller-manager'],
    }));
    const slim = projectApplication(full);
    expect(slim.automatedSync).toEqual(['prune']);
    // 6 fields kept of 60 (two entries), then the second dropped to fit the budget
    expect(slim.ignoreDifferences).toHaveLength(1);
    expect(slim.ignoreDifferencesOmitted).toBe(57);
    expect(slim.ignoreDifferences![0]).toMatchObject({
      group: 'apps',
      kind: 'Deployment',
      name: 'worker-0',
      managers: ['kube-controller-manager'],
    });
    expect(slim.ignoreDifferences![0].paths[1].length).toBeLessThanOrEqual(80);
    expect(projectionBytes(slim)).toBeLessThanOrEqual(1024);
    // automated.enabled: false (Argo CD 3) and no automated block both mean sync by hand
    full.spec.syncPolicy = { automated: { enabled: false, prune: true } };
    expect(projectApplication(full).automatedSync).toBeUndefined();
    delete full.spec.syncPolicy;
    expect(projectApplication(full).automatedSync).toBeUndefined();
  });

  it('rejects objects it cannot read, keeping what identifies them', () => {
    const broken = fullApplication({
      name: 'x',
      service: 'x',
      cluster: 'dev-1',
      version: '1',
    });
    broken.status.summary.images = 'not-a-list';
    expect(() => projectApplication(broken)).toThrow(MalformedApplicationError);
    expect(() => projectApplication(broken)).toThrow(
      /status.summary.images is not a list/,
    );
    expect(() => projectApplication({ spec: {} })).toThrow(
      /without metadata.name/,
    );
  });

  it('drops credentials of repoURLs and condition messages', () => {
    const full = fullApplication({
      name: 'checkout-api-prod-eu-1',
      service: 'checkout-api',
      cluster: 'prod-eu-1',
      version: '1.4.2',
      repoURL: 'https://deploy:ghp_s3cret@github.example.com/acme/gitops.git',
    });
    full.status.conditions.push({
      type: 'ComparisonError',
      message:
        'rpc error: failed to fetch https://deploy:ghp_s3cret@github.example.com/acme/gitops.git',
    });
    const slim = projectApplication(full);
    expect(JSON.stringify(slim)).not.toContain('s3cret');
    expect(slim.sources[0].repoURL).toBe(
      'https://github.example.com/acme/gitops.git',
    );
    expect(JSON.stringify(slim)).toContain(
      'failed to fetch https://github.example.com/acme/gitops.git',
    );
  });

  it('keeps every live image, however long the list, and the operation that failed', () => {
    const full = fullApplication({
      name: 'checkout-api-prod-eu-1',
      service: 'checkout-api',
      cluster: 'prod-eu-1',
      version: '1.4.2',
    });
    full.status.summary.images = [
      ...Array.from(
        { length: 40 },
        (_, i) => `ghcr.io/acme/sidecar-${i}:1.0.${i}`,
      ),
      'ghcr.io/acme/zz-checkout-api:1.4.2',
    ];
    full.status.operationState = {
      phase: 'Failed',
      message: `one or more synchronization tasks completed unsuccessfully ${'x'.repeat(
        300,
      )} reason: the end`,
      syncResult: {
        resources: [
          {
            kind: 'Deployment',
            name: 'checkout-api',
            status: 'SyncFailed',
            message: 'admission webhook denied the request',
          },
          {
            group: 'batch',
            kind: 'Job',
            name: 'db-migrate',
            hookType: 'PreSync',
            hookPhase: 'Failed',
            status: 'Synced',
            message: 'Job has reached the specified backoff limit',
          },
          { kind: 'Service', name: 'checkout-api', status: 'Synced' },
        ],
      },
    };
    const slim = projectApplication(full);
    expect(slim.images).toHaveLength(41);
    expect(slim.images[40]).toBe('ghcr.io/acme/zz-checkout-api:1.4.2');
    expect(slim.operation?.phase).toBe('Failed');
    expect(slim.operation?.message).toMatch(
      /^one or more synchronization tasks.*…x+ reason: the end$/,
    );
    expect(slim.operation?.message?.length).toBeLessThanOrEqual(200);
    // the failed hook first; the budget keeps the message before the second failure
    expect(slim.operation?.failed?.[0]).toEqual({
      kind: 'Job',
      name: 'db-migrate',
      hookType: 'PreSync',
      message: 'Job has reached the specified backoff limit',
    });
  });
});
