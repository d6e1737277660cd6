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

/**
 * A small, self-contained Helm chart for a service, at the path its Applications point at
 * (`apps/<service>`): no dependencies, so `helm template` renders it with the values of
 * `envs/<env>/values.yaml` and nothing to fetch.
 */
export function helmChartFiles(service: string): Record<string, string> {
  const dir = `apps/${service}`;
  return {
    [`${dir}/Chart.yaml`]: `apiVersion: v2
name: ${service}
description: ${service} service chart
type: application
version: 0.3.0
`,
    [`${dir}/values.yaml`]: `# Chart defaults; environments override these in envs/<env>/values.yaml
replicaCount: 2
image:
  repository: ghcr.io/acme/${service}
  # Set per environment: an immutable version.
  tag: ""
  pullPolicy: IfNotPresent
service:
  port: 8080
resources: {}
env: {}
`,
    [`${dir}/templates/deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Chart.Name }}
  labels:
    app.kubernetes.io/name: {{ .Chart.Name }}
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ .Chart.Name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ .Chart.Name }}
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ required "image.tag is required" .Values.image.tag }}"
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          ports:
            - containerPort: {{ .Values.service.port }}
          envFrom:
            - configMapRef:
                name: {{ .Chart.Name }}-config
          {{- with .Values.env }}
          env:
            {{- range $name, $value := . }}
            - name: {{ $name }}
              value: {{ $value | quote }}
            {{- end }}
          {{- end }}
          {{- with .Values.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
`,
    [`${dir}/templates/service.yaml`]: `apiVersion: v1
kind: Service
metadata:
  name: {{ .Chart.Name }}
  labels:
    app.kubernetes.io/name: {{ .Chart.Name }}
spec:
  selector:
    app.kubernetes.io/name: {{ .Chart.Name }}
  ports:
    - port: 80
      targetPort: {{ .Values.service.port }}
`,
    [`${dir}/templates/configmap.yaml`]: `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Chart.Name }}-config
  labels:
    app.kubernetes.io/name: {{ .Chart.Name }}
data:
  LOG_LEVEL: info
`,
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
