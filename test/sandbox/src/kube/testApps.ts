import type { KubeObject } from './store';

/** A minimal valid Application, for tests. */
export function testApplication(
  name: string,
  labels: Record<string, string> = {},
  namespace = 'argocd',
): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name, namespace, labels },
    spec: {
      project: 'default',
      source: {
        repoURL: 'http://localhost:7480/acme/x.git',
        path: 'apps/x',
        targetRevision: 'main',
      },
      destination: { name: 'dev-1', namespace: 'x' },
    },
    status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
  };
}
