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
