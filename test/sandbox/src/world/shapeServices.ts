import fs from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../kube/store';
import { repoRoot } from '../testing/repoRoot';
import { helmValues } from './manifests';
import {
  ClusterSpec,
  clusterServer,
  Environment,
  IN_CLUSTER_SERVER,
} from './model';

/**
 * Services of the sample world deployed as Application shapes adopters run beyond one Git
 * source (issue 12): each shape follows the Argo CD documentation page named on it.
 */
export type ApplicationShape =
  /** Golden-path chart from a Git path plus a `ref: values` source in another repository. */
  | 'multi-source'
  /** Golden-path chart from an OCI registry (`oci://`, path form) plus a `ref: values` source. */
  | 'oci'
  /** `helm.parameters` image.tag in the Application, which an app-of-apps parent deploys. */
  | 'helm-parameters'
  /** Per-cluster Argo CD instances deploy it with the in-cluster destination. */
  | 'in-cluster';

export interface ShapeServiceSpec {
  name: string;
  shape: ApplicationShape;
  /** Where the shape is documented. */
  origin: string;
}

/** The team, Argo CD project and GitOps repository of the shape services. */
export const SHAPE_TEAM = {
  team: 'team-discovery',
  project: 'discovery',
  repo: 'discovery-gitops',
};

/** The platform team's repository holding the golden-path chart. */
export const PLATFORM_CHARTS_REPO = 'platform-charts';
export const GOLDEN_PATH_CHART_PATH = 'charts/golden-path';
/** Where the golden-path chart is published as an OCI artifact. */
export const GOLDEN_PATH_OCI_URL = 'oci://ghcr.io/acme/charts/golden-path';

export const SHAPE_SERVICES: ShapeServiceSpec[] = [
  {
    name: 'search-api',
    shape: 'multi-source',
    origin:
      'https://argo-cd.readthedocs.io/en/stable/user-guide/multiple_sources/#helm-value-files-from-external-git-repository',
  },
  {
    name: 'recommendations-api',
    shape: 'oci',
    origin: 'https://argo-cd.readthedocs.io/en/stable/user-guide/oci/',
  },
  {
    name: 'reviews-api',
    shape: 'helm-parameters',
    origin:
      'https://argo-cd.readthedocs.io/en/stable/operator-manual/cluster-bootstrapping/ and https://argo-cd.readthedocs.io/en/stable/user-guide/helm/#parameters',
  },
  {
    name: 'ratings-api',
    shape: 'in-cluster',
    origin:
      'https://argo-cd.readthedocs.io/en/stable/operator-manual/declarative-setup/#clusters (in-cluster)',
  },
];

/** Versions per environment, oldest first; staging is one ahead of prod for each. */
export const SHAPE_VERSIONS: Record<string, Record<Environment, string[]>> = {
  'search-api': {
    dev: ['3.0.4', '3.1.0', '3.2.0'],
    staging: ['3.0.4', '3.1.0'],
    prod: ['3.0.4'],
  },
  'recommendations-api': {
    dev: ['0.8.0', '0.9.0', '0.9.1'],
    staging: ['0.8.0', '0.9.0'],
    prod: ['0.8.0'],
  },
  'reviews-api': {
    dev: ['5.0.0', '5.1.0', '5.2.0'],
    staging: ['5.0.0', '5.1.0'],
    prod: ['5.0.0'],
  },
  'ratings-api': {
    dev: ['1.0.0', '1.1.0', '1.2.0'],
    staging: ['1.0.0', '1.1.0'],
    prod: ['1.0.0'],
  },
};

/** Argo CD instances that run inside one cluster and manage only it (instance -> cluster). */
export const PER_CLUSTER_INSTANCES: Record<string, string> = {
  eu: 'prod-eu-1',
};

/** The version of the golden-path chart, as its Chart.yaml says. */
export const GOLDEN_PATH_CHART_VERSION = '1.0.0';

/** The golden-path chart of the software template (templates/gitops-service/charts/golden-path). */
export function goldenPathChartFiles(): Record<string, string> {
  const dir = path.join(
    repoRoot(),
    'templates/gitops-service/charts/golden-path',
  );
  const files: Record<string, string> = {};
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), {
      withFileTypes: true,
    })) {
      const file = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) walk(file);
      else files[file] = fs.readFileSync(path.join(dir, file), 'utf8');
    }
  };
  walk('');
  return files;
}

/** The file a shape service's version is committed to, per cluster of the environment. */
export function shapeVersionPath(
  service: ShapeServiceSpec,
  env: Environment,
  cluster: string,
): string {
  return service.shape === 'helm-parameters'
    ? `app-of-apps/${cluster}/${service.name}.yaml`
    : `apps/${service.name}/envs/${env}/values.yaml`;
}

/** Values of a service whose image tag is set in its Application (`helm.parameters`). */
export function helmValuesWithoutTag(service: string, env: string): string {
  return helmValues(service, env, '')
    .replace(
      / {2}# renovate:.*\n {2}tag: ""\n/,
      '  # image.tag is a helm.parameters item of the Application (app-of-apps/<cluster>/)\n',
    )
    .replace(
      '# The image tag is bumped by the promotion workflow; do not edit by hand in prod.\n',
      '',
    );
}

const labels = (service: string, env: Environment) => ({
  'app.kubernetes.io/name': service,
  'backstage.io/kubernetes-id': service,
  'gitops.backstage.io/environment': env,
  'gitops.backstage.io/team': SHAPE_TEAM.team,
});

/**
 * A shape service's Application for a cluster. `instanceClusters` are the clusters of the
 * instance that deploys it: an in-cluster service uses `https://kubernetes.default.svc` where
 * that instance runs in the cluster (manages only it).
 */
export function shapeApplication(args: {
  service: ShapeServiceSpec;
  cluster: ClusterSpec;
  instanceClusters: string[];
  gitBaseUrl: string;
  version: string;
}): KubeObject {
  const { service, cluster, gitBaseUrl } = args;
  const env = cluster.environment;
  const repoUrl = `${gitBaseUrl}/acme/${SHAPE_TEAM.repo}.git`;
  const valuesFile = `$values/apps/${service.name}/envs/${env}/values.yaml`;
  const valuesRef = { repoURL: repoUrl, targetRevision: 'main', ref: 'values' };
  const helm = { valueFiles: [`envs/${env}/values.yaml`] };
  const inCluster =
    service.shape === 'in-cluster' &&
    args.instanceClusters.length === 1 &&
    args.instanceClusters[0] === cluster.name;
  let sourceSpec: Record<string, unknown>;
  switch (service.shape) {
    case 'multi-source':
      sourceSpec = {
        sources: [
          {
            repoURL: `${gitBaseUrl}/acme/${PLATFORM_CHARTS_REPO}.git`,
            targetRevision: 'main',
            path: GOLDEN_PATH_CHART_PATH,
            helm: { releaseName: service.name, valueFiles: [valuesFile] },
          },
          valuesRef,
        ],
      };
      break;
    case 'oci':
      sourceSpec = {
        sources: [
          {
            repoURL: GOLDEN_PATH_OCI_URL,
            targetRevision: GOLDEN_PATH_CHART_VERSION,
            path: '.',
            helm: { releaseName: service.name, valueFiles: [valuesFile] },
          },
          valuesRef,
        ],
      };
      break;
    case 'helm-parameters':
      sourceSpec = {
        source: {
          repoURL: repoUrl,
          targetRevision: 'main',
          path: `apps/${service.name}`,
          helm: {
            ...helm,
            parameters: [{ name: 'image.tag', value: args.version }],
          },
        },
      };
      break;
    default:
      sourceSpec = {
        source: {
          repoURL: repoUrl,
          targetRevision: 'main',
          path: `apps/${service.name}`,
          helm,
        },
      };
  }
  let destination: Record<string, string>;
  if (inCluster)
    destination = { server: IN_CLUSTER_SERVER, namespace: service.name };
  else if (cluster.destination === 'name')
    destination = { name: cluster.name, namespace: service.name };
  else
    destination = {
      server: clusterServer(cluster.name),
      namespace: service.name,
    };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: `${service.name}-${cluster.name}`,
      namespace: 'argocd',
      labels: labels(service.name, env),
      annotations: { 'gitops.backstage.io/cluster': cluster.name },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: SHAPE_TEAM.project,
      ...sourceSpec,
      destination,
      syncPolicy:
        env === 'prod'
          ? { syncOptions: ['CreateNamespace=true'] }
          : {
              automated: { prune: true, selfHeal: true },
              syncOptions: ['CreateNamespace=true'],
            },
      revisionHistoryLimit: 10,
    },
  };
}

/**
 * The app-of-apps parent of a cluster (Argo CD's cluster bootstrapping): a directory source
 * whose path, `app-of-apps/<cluster>`, holds the child Applications.
 */
export function parentApplication(
  cluster: ClusterSpec,
  gitBaseUrl: string,
): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: `discovery-apps-${cluster.name}`,
      namespace: 'argocd',
      labels: { 'gitops.backstage.io/team': SHAPE_TEAM.team },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: 'default',
      source: {
        repoURL: `${gitBaseUrl}/acme/${SHAPE_TEAM.repo}.git`,
        targetRevision: 'main',
        path: `app-of-apps/${cluster.name}`,
      },
      destination: { server: IN_CLUSTER_SERVER, namespace: 'argocd' },
      syncPolicy: { automated: { prune: true, selfHeal: true } },
    },
  };
}
