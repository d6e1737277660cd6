/** A realistic Argo CD Application as the Kubernetes API returns it (test data). */
export function fullApplication(options: {
  name: string;
  service: string;
  cluster: string;
  environment?: string;
  version: string;
  revision?: string;
  namespace?: string;
  resourceVersion?: string;
  sync?: string;
  health?: string;
  repoURL?: string;
}): any {
  const repoURL =
    options.repoURL ?? 'https://github.example.com/acme/payments-gitops.git';
  const revision = options.revision ?? 'a'.repeat(40);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: options.name,
      namespace: options.namespace ?? 'argocd',
      resourceVersion: options.resourceVersion ?? '1',
      uid: '0d7a54a4-9a7c-4c1e-8a7e-3b0f9a0c1d2e',
      generation: 12,
      creationTimestamp: '2024-05-01T10:00:00Z',
      labels: {
        'app.kubernetes.io/name': options.service,
        'backstage.io/kubernetes-id': options.service,
        ...(options.environment
          ? { 'gitops.backstage.io/environment': options.environment }
          : {}),
      },
      annotations: {
        'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
          spec: { x: 'y'.repeat(800) },
        }),
      },
      managedFields: Array.from({ length: 3 }, (_, i) => ({
        manager: `argocd-controller-${i}`,
        operation: 'Update',
        fieldsV1: {
          'f:status': { 'f:resources': {}, 'f:summary': {}, 'f:sync': {} },
        },
      })),
    },
    spec: {
      project: 'payments',
      destination: { name: options.cluster, namespace: options.service },
      source: {
        repoURL,
        path: `apps/${options.service}`,
        targetRevision: 'main',
        helm: {
          valueFiles: [`envs/${options.environment ?? 'prod'}/values.yaml`],
        },
      },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true'],
      },
    },
    status: {
      sync: {
        status: options.sync ?? 'Synced',
        revision,
        comparedTo: { source: {}, destination: {} },
      },
      health: { status: options.health ?? 'Healthy' },
      summary: {
        images: [
          `ghcr.io/acme/${options.service}:${options.version}`,
          'ghcr.io/acme/envoy:1.30.1',
        ],
        externalURLs: [`https://${options.service}.acme.example`],
      },
      reconciledAt: '2024-05-02T10:00:00Z',
      operationState: {
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt: '2024-05-02T09:59:00Z',
        finishedAt: '2024-05-02T09:59:30Z',
        syncResult: {
          resources: Array.from({ length: 20 }, (_, i) => ({
            kind: 'ConfigMap',
            name: `cm-${i}`,
            status: 'Synced',
            message: 'configmap configured',
          })),
        },
      },
      resources: [
        ...Array.from({ length: 30 }, (_, i) => ({
          version: 'v1',
          kind: 'ConfigMap',
          namespace: options.service,
          name: `cm-${i}`,
          status: 'Synced',
        })),
        {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace: options.service,
          name: options.service,
          status: options.sync ?? 'Synced',
          health: { status: 'Healthy' },
        },
      ],
      history: Array.from({ length: 10 }, (_, i) => ({
        id: i + 1,
        revision: `${i}`.repeat(40).slice(0, 40),
        deployedAt: `2024-05-0${(i % 9) + 1}T10:00:00Z`,
        source: {
          repoURL,
          path: `apps/${options.service}`,
          targetRevision: 'main',
          helm: {
            valueFiles: [`envs/${options.environment ?? 'prod'}/values.yaml`],
          },
        },
      })),
      conditions: [],
      sourceType: 'Helm',
      controllerNamespace: 'argocd',
    },
  };
}
