import YAML from 'yaml';
import type { KubeObject } from '../kube/store';
import { ClusterSpec, clusterServer, ServiceSpec } from './model';

/** Argo CD Application manifest (no status) as committed under `clusters/<cluster>/apps/`. */
export function applicationManifest(
  service: ServiceSpec,
  cluster: ClusterSpec,
  repoUrl: string,
): KubeObject {
  const automated = cluster.environment !== 'prod';
  const source: Record<string, unknown> =
    service.kind === 'helm'
      ? {
          repoURL: repoUrl,
          targetRevision: 'main',
          path: `apps/${service.name}`,
          helm: { valueFiles: [`envs/${cluster.environment}/values.yaml`] },
        }
      : {
          repoURL: repoUrl,
          targetRevision: 'main',
          path: `apps/${service.name}/overlays/${cluster.environment}`,
        };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: `${service.name}-${cluster.name}`,
      namespace: 'argocd',
      labels: {
        'app.kubernetes.io/name': service.name,
        'backstage.io/kubernetes-id': service.name,
        'gitops.backstage.io/environment': cluster.environment,
        'gitops.backstage.io/team': service.team,
      },
      annotations: { 'gitops.backstage.io/cluster': cluster.name },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: service.project,
      source,
      destination:
        cluster.destination === 'name'
          ? { name: cluster.name, namespace: service.name }
          : { server: clusterServer(cluster.name), namespace: service.name },
      syncPolicy: automated
        ? {
            automated: { prune: true, selfHeal: true },
            syncOptions: ['CreateNamespace=true'],
          }
        : { syncOptions: ['CreateNamespace=true'] },
      ...(service.name === 'checkout-api'
        ? {
            ignoreDifferences: [
              {
                group: 'apps',
                kind: 'Deployment',
                jsonPointers: ['/spec/replicas'],
              },
            ],
          }
        : {}),
      revisionHistoryLimit: 10,
    },
  };
}

export function manifestYaml(app: KubeObject): string {
  return `# Managed by the platform team: Argo CD Application for ${
    app.metadata.name
  }.\n${YAML.stringify(app)}`;
}

/** A tiny Helm chart for a service. */
export function helmChartFiles(service: string): Record<string, string> {
  return {
    [`apps/${service}/chart/Chart.yaml`]: `apiVersion: v2\nname: ${service}\ndescription: ${service} service chart\ntype: application\nversion: 0.3.0\n`,
    [`apps/${service}/chart/values.yaml`]: `# Chart defaults; environments override these in envs/<env>/values.yaml\nreplicaCount: 2\nimage:\n  repository: ghcr.io/acme/${service}\n  tag: latest\n  pullPolicy: IfNotPresent\nservice:\n  port: 8080\n`,
    [`apps/${service}/chart/templates/deployment.yaml`]: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Chart.Name }}\nspec:\n  replicas: {{ .Values.replicaCount }}\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: {{ .Chart.Name }}\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: {{ .Chart.Name }}\n    spec:\n      containers:\n        - name: {{ .Chart.Name }}\n          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"\n          ports:\n            - containerPort: {{ .Values.service.port }}\n`,
    [`apps/${service}/chart/templates/service.yaml`]: `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Chart.Name }}\nspec:\n  selector:\n    app.kubernetes.io/name: {{ .Chart.Name }}\n  ports:\n    - port: 80\n      targetPort: {{ .Values.service.port }}\n`,
    [`apps/${service}/chart/templates/configmap.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Chart.Name }}-config\ndata:\n  LOG_LEVEL: info\n`,
    // Argo CD's Helm source with path apps/<service> needs the chart at the path root.
    [`apps/${service}/Chart.yaml`]: `apiVersion: v2\nname: ${service}\ndescription: Umbrella chart for ${service}\ntype: application\nversion: 0.3.0\ndependencies:\n  - name: ${service}\n    version: 0.3.0\n    repository: file://./chart\n`,
  };
}

export function helmValues(service: string, env: string, tag: string): string {
  const replicas =
    ({ prod: 4, staging: 2 } as Record<string, number>)[env] ?? 1;
  return `# Values for ${service} in ${env}.
# The image tag is bumped by the promotion workflow; do not edit by hand in prod.
replicaCount: ${replicas}

image:
  repository: ghcr.io/acme/${service}
  # renovate: datasource=docker depName=ghcr.io/acme/${service}
  tag: "${tag}"

resources:
  requests:
    cpu: ${env === 'prod' ? '500m' : '100m'}
    memory: ${env === 'prod' ? '512Mi' : '128Mi'}

env:
  ENVIRONMENT: ${env}
`;
}

export function kustomizeBaseFiles(service: string): Record<string, string> {
  return {
    [`apps/${service}/base/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - configmap.yaml\n`,
    [`apps/${service}/base/deployment.yaml`]: `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${service}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ${service}\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: ${service}\n    spec:\n      containers:\n        - name: worker\n          image: ghcr.io/acme/${service}:latest\n`,
    [`apps/${service}/base/configmap.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${service}-config\ndata:\n  QUEUE: payments\n`,
  };
}

export function kustomizeOverlay(
  service: string,
  env: string,
  tag: string,
): string {
  return `# ${env} overlay for ${service}
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${service}
resources:
  - ../../base
images:
  - name: ghcr.io/acme/${service}
    # bumped by the promotion workflow
    newTag: "${tag}"
replicas:
  - name: ${service}
    count: ${env === 'prod' ? 3 : 1}
`;
}
