import type { KubeObject } from '../kube/store';

export interface GeneratedWorldOptions {
  /** Number of Argo CD control planes (each with its own Kubernetes API server). */
  clusters: number;
  /** Applications per control plane. */
  applicationsPerCluster: number;
  /**
   * Services the Applications are spread over; defaults to a third of `applicationsPerCluster`
   * (every service in every environment of every control plane). More services than that leave
   * the later services out of the later environments on each control plane.
   */
  services?: number;
}

const ENVS = ['dev', 'staging', 'prod'];
const PROJECTS = ['payments', 'web', 'platform', 'data'];

/**
 * Compact generated Applications for scale tests: sub-objects that never
 * change (source, syncPolicy, resources) are shared between Applications,
 * which the store allows because it never mutates stored objects.
 */
export function* generateApplications(
  instance: string,
  count: number,
  repoUrl: string,
  serviceCount?: number,
): Generator<KubeObject> {
  const shared = new Map<string, any>();
  const intern = <T>(key: string, make: () => T): T => {
    if (!shared.has(key)) shared.set(key, make());
    return shared.get(key) as T;
  };
  const services = serviceCount ?? Math.max(1, Math.ceil(count / ENVS.length));
  for (let i = 0; i < count; i++) {
    const service = `svc-${String(i % services).padStart(5, '0')}`;
    const env = ENVS[Math.floor(i / services) % ENVS.length];
    const project = PROJECTS[i % PROJECTS.length];
    const version = `1.${i % 7}.${i % 3}`;
    const labels = intern(`labels|${service}|${env}`, () => ({
      'app.kubernetes.io/name': service,
      'backstage.io/kubernetes-id': service,
      'gitops.backstage.io/environment': env,
    }));
    const source = intern(`source|${env}`, () => ({
      repoURL: repoUrl,
      targetRevision: 'main',
      path: 'apps/generated',
      helm: { valueFiles: [`envs/${env}/values.yaml`] },
    }));
    const status = intern(`status|${env}|${version}|${i % 11 === 0}`, () => ({
      sync: {
        status: i % 11 === 0 ? 'OutOfSync' : 'Synced',
        revision: 'a'.repeat(40),
      },
      health: { status: i % 11 === 0 ? 'Progressing' : 'Healthy' },
      summary: { images: [`ghcr.io/acme/generated:${version}`] },
      history: [
        {
          id: 0,
          revision: 'a'.repeat(40),
          deployedAt: '2025-03-03T09:00:00Z',
          deployStartedAt: '2025-03-03T08:59:00Z',
          source,
        },
      ],
      reconciledAt: '2025-03-03T09:00:00Z',
      operationState: {
        phase: 'Succeeded',
        startedAt: '2025-03-03T08:59:00Z',
        finishedAt: '2025-03-03T09:00:00Z',
        syncResult: { revision: 'a'.repeat(40) },
      },
    }));
    yield {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: `${service}-${env}-${instance}`,
        namespace: 'argocd',
        labels,
      },
      spec: intern(`spec|${project}|${env}|${service}`, () => ({
        project,
        source,
        destination: { name: `${instance}-${env}`, namespace: service },
        syncPolicy:
          env === 'prod' ? {} : { automated: { prune: true, selfHeal: true } },
      })),
      status,
    };
  }
}
