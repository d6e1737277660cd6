/** The shape of a GitOps world: teams, services, clusters and Argo CD instances. */
export type Environment = 'dev' | 'staging' | 'prod';

export interface ClusterSpec {
  name: string;
  environment: Environment;
  /** The Argo CD instance managing it. */
  instance: string;
  /** How Applications address it: `destination.name` or `destination.server`. */
  destination: 'name' | 'server';
}

export interface ServiceSpec {
  name: string;
  team: string;
  /** Argo CD project. */
  project: string;
  repo: string;
  kind: 'helm' | 'kustomize';
}

export const clusterServer = (cluster: string) =>
  `https://${cluster}.clusters.acme.internal`;

/** The destination server of an Application deployed to the cluster its Argo CD runs in. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

/** Whether an Application's destination is the cluster its Argo CD runs in. */
export function isInClusterDestination(destination?: {
  name?: string;
  server?: string;
}): boolean {
  return (
    destination?.server?.replace(/\/+$/, '') === IN_CLUSTER_SERVER ||
    destination?.name === 'in-cluster'
  );
}

/**
 * The Argo CD instance that deploys an Application declared for a cluster: for an in-cluster
 * destination the instance running in that cluster (it manages only that one), when there is
 * one; otherwise the first instance managing the cluster.
 */
export function managingInstance<T extends { clusters: { name: string }[] }>(
  instances: T[],
  cluster: string,
  destination?: { name?: string; server?: string },
): T | undefined {
  const managing = instances.filter(i =>
    i.clusters.some(c => c.name === cluster),
  );
  return (
    (isInClusterDestination(destination) &&
      managing.find(i => i.clusters.length === 1)) ||
    managing[0]
  );
}
