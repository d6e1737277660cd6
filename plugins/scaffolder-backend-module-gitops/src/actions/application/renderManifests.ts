import yaml from 'yaml';
import { EnvironmentPlacement } from './resolvePlacements';

/** Label carrying the environment of an Application, matched by the GitOps state backend. */
export const LABEL_ENVIRONMENT = 'gitops.backstage.io/environment';

/** What a new service's GitOps content is made of. */
export interface ServiceSpec {
  name: string;
  /** Name of the owning Group, used as the `app.kubernetes.io/part-of` label. */
  team: string;
  project: string;
  /** The GitOps repository as Argo CD clones it, ending in `.git`. */
  repoURL: string;
  targetRevision: string;
  imageRepository: string;
  imageTag: string;
  port: number;
  prune: boolean;
}

/** Path of the service's chart folder inside the GitOps repository. */
export function chartFolder(service: string): string {
  return `apps/${service}`;
}

/** Path of an environment's values file, relative to the chart folder. */
export function valuesFile(environment: string): string {
  return `envs/${environment}/values.yaml`;
}

/** Path of the Application manifest of a service in one cluster. */
export function applicationFile(cluster: string, service: string): string {
  return `clusters/${cluster}/apps/${service}.yaml`;
}

/** Renders an environment's values file over the golden-path chart. */
export function renderValues(
  spec: ServiceSpec,
  environment: string,
  chartVersion: string,
): string {
  const doc = new yaml.Document({
    image: { repository: spec.imageRepository, tag: spec.imageTag },
    containerPort: spec.port,
    partOf: spec.team,
  });
  doc.commentBefore = [
    ` ${spec.name} in ${environment}, over the golden-path chart ${chartVersion} (../../values.yaml).`,
    ' CI bumps image.tag in dev; promotions copy it to the next environment.',
  ].join('\n');
  return doc.toString();
}

/** Builds the Argo CD Application of a service in one cluster of an environment. */
export function buildApplication(
  spec: ServiceSpec,
  placement: EnvironmentPlacement,
  cluster: string,
) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: `${spec.name}-${cluster}`,
      namespace: 'argocd',
      labels: {
        'app.kubernetes.io/name': spec.name,
        'app.kubernetes.io/part-of': spec.team,
        'backstage.io/kubernetes-id': spec.name,
        [LABEL_ENVIRONMENT]: placement.environment,
      },
    },
    spec: {
      project: spec.project,
      destination: { name: cluster, namespace: spec.name },
      source: {
        repoURL: spec.repoURL,
        targetRevision: spec.targetRevision,
        path: chartFolder(spec.name),
        helm: {
          releaseName: spec.name,
          valueFiles: [valuesFile(placement.environment)],
        },
      },
      syncPolicy: {
        ...(placement.sync === 'automated'
          ? { automated: { prune: spec.prune, selfHeal: true } }
          : {}),
        syncOptions: ['CreateNamespace=true'],
      },
    },
  };
}

/** Renders an Application manifest with a header saying how it syncs. */
export function renderApplication(
  spec: ServiceSpec,
  placement: EnvironmentPlacement,
  cluster: string,
): string {
  const doc = new yaml.Document(buildApplication(spec, placement, cluster));
  doc.commentBefore =
    placement.sync === 'automated'
      ? ` ${spec.name} in ${placement.environment} (${cluster}): Argo CD syncs every merge (selfHeal on).`
      : ` ${spec.name} in ${placement.environment} (${cluster}): synced by hand after a promotion is merged.`;
  return doc.toString();
}
