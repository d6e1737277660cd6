import { GitopsConfig } from '@backstage-gitops/plugin-gitops-node';
import yaml from 'yaml';
import { EnvironmentPlacement } from './resolvePlacements';

/** Where the GitOps state backend looks, so what the rendered files must match. */
export interface StateConventions {
  /**
   * Label carrying the environment of an Application (`gitops.environmentLabel`, default
   * `gitops.backstage.io/environment`).
   */
  environmentLabel: string;
  /**
   * Map keys, from the root, of the version in a values file
   * (`gitops.versionLocator.helmValuesKey`, default `image.tag`).
   */
  versionKey: string[];
}

/**
 * The conventions of the one config reader the GitOps state backend uses too, so the
 * Applications and values a new service gets are the ones its tab reads.
 */
export function readStateConventions(gitops: GitopsConfig): StateConventions {
  const { environmentLabel, helmValuesKey } = gitops;
  const versionKey = helmValuesKey.split('.');
  // Keys as a chart's templates name them (.Values.image.tag) and CI's yq can set them; a list
  // index would make an environment's values file replace the chart's whole list.
  if (!versionKey.every(key => /^[A-Za-z_][A-Za-z0-9_]*$/.test(key))) {
    throw new Error(
      `gitops.versionLocator.helmValuesKey '${helmValuesKey}' cannot be written by gitops:application:create: use map keys of letters, digits and '_' joined by '.', e.g. image.tag`,
    );
  }
  return { environmentLabel, versionKey };
}

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
  conventions: StateConventions;
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
    image: { repository: spec.imageRepository },
    containerPort: spec.port,
    partOf: spec.team,
  });
  // Where the state backend and promotions read and write the version (image.tag by default).
  doc.setIn(spec.conventions.versionKey, spec.imageTag);
  doc.commentBefore = [
    ` ${spec.name} in ${environment}, over the golden-path chart ${chartVersion} (../../values.yaml).`,
    ` CI bumps ${spec.conventions.versionKey.join(
      '.',
    )} in dev; promotions copy it to the next environment.`,
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
        [spec.conventions.environmentLabel]: placement.environment,
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
