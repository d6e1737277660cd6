/**
 * Placement: where an Argo CD Application lands, as (environment, cluster), from the configured
 * topology. Pure; used by gitops-backend and by anyone reasoning about the same config.
 */

/** A configured destination cluster. @public */
export interface GitopsCluster {
  /** Name used everywhere in the suite, e.g. `prod-eu-1`. */
  name: string;
  /** API server URL Applications use in `spec.destination.server`. */
  server?: string;
  /** Other destination names or servers that mean this cluster (e.g. `in-cluster`). */
  aliases?: string[];
}

/** A configured environment, in promotion order. @public */
export interface GitopsEnvironment {
  name: string;
  title: string;
  /** Cluster names, in display order. */
  clusters: string[];
}

/** The configured environments and clusters. @public */
export interface GitopsTopology {
  environments: GitopsEnvironment[];
  clusters: GitopsCluster[];
}

/** The API server URL Argo CD names its own cluster by in `spec.destination.server`. @public */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';
/** The name Argo CD gives its own cluster in `spec.destination.name`. @public */
export const IN_CLUSTER_NAME = 'in-cluster';

/** Whether a destination means the cluster the Argo CD instance runs in. @public */
export function isInClusterDestination(
  destination: { name?: string; server?: string } | undefined,
): boolean {
  if (!destination) return false;
  if (destination.name) return destination.name === IN_CLUSTER_NAME;
  return (
    !!destination.server &&
    normalizeServer(destination.server) === normalizeServer(IN_CLUSTER_SERVER)
  );
}

/** Where one Application lands. @public */
export interface Placement {
  environment: string;
  cluster: string;
}

/** What placement needs to know about an Application. @public */
export interface PlacementInput {
  destination?: { name?: string; server?: string };
  labels?: Record<string, string>;
}

/** The outcome of {@link placeApplication}: a placement, or why there is none. @public */
export type PlacementResult =
  | { placement: Placement; reason?: undefined }
  | { placement?: undefined; reason: string };

/** Default label that overrides the environment of an Application. @public */
export const DEFAULT_ENVIRONMENT_LABEL = 'gitops.backstage.io/environment';

function normalizeServer(server: string): string {
  return server.trim().replace(/\/+$/, '').toLowerCase();
}

/** Options of {@link resolveCluster} and {@link placeApplication}. @public */
export interface PlacementOptions {
  /** Application label that overrides the environment; defaults to {@link DEFAULT_ENVIRONMENT_LABEL}. */
  environmentLabel?: string;
  /**
   * The clusters the Argo CD instance that reported the Application manages
   * (`gitops.instances[].clusters`). An in-cluster destination (`in-cluster`,
   * `https://kubernetes.default.svc`) means the instance's own cluster: the only one when it
   * lists one, else the one of them with a matching alias. So two per-cluster instances never
   * put their in-cluster Applications in one cell.
   */
  instanceClusters?: string[];
}

/**
 * Finds the configured cluster an Application's `spec.destination` points at: by name first,
 * then by server URL, each also matched against the cluster's aliases. An in-cluster
 * destination is resolved among the reporting instance's clusters first
 * ({@link PlacementOptions.instanceClusters}).
 *
 * @public
 */
export function resolveCluster(
  destination: PlacementInput['destination'],
  clusters: GitopsCluster[],
  options?: Pick<PlacementOptions, 'instanceClusters'>,
): GitopsCluster | undefined {
  if (!destination) {
    return undefined;
  }
  const own = options?.instanceClusters;
  if (own?.length && isInClusterDestination(destination)) {
    const candidates = clusters.filter(c => own.includes(c.name));
    if (candidates.length === 1) {
      return candidates[0];
    }
    return resolveCluster(destination, candidates);
  }
  const { name, server } = destination;
  if (name) {
    const byName = clusters.find(
      c => c.name === name || c.aliases?.includes(name),
    );
    if (byName) {
      return byName;
    }
  }
  if (server) {
    const wanted = normalizeServer(server);
    return clusters.find(
      c =>
        (c.server && normalizeServer(c.server) === wanted) ||
        c.aliases?.some(a => normalizeServer(a) === wanted),
    );
  }
  return undefined;
}

/**
 * Places an Application in (environment, cluster). The cluster comes from `spec.destination`;
 * the environment from the Application's environment label when it names a configured
 * environment, else from the environment that owns the cluster.
 *
 * @public
 */
export function placeApplication(
  app: PlacementInput,
  topology: GitopsTopology,
  options?: PlacementOptions,
): PlacementResult {
  const cluster = resolveCluster(app.destination, topology.clusters, options);
  if (!cluster) {
    const target =
      app.destination?.name ?? app.destination?.server ?? '(no destination)';
    return {
      reason: isInClusterDestination(app.destination)
        ? `destination ${target} is the cluster of the Argo CD instance, which is not known: list it in the instance's clusters (gitops.instances[].clusters) or as an alias of one cluster (gitops.clusters[].aliases)`
        : `destination ${target} is not a configured cluster (gitops.clusters)`,
    };
  }
  const label = options?.environmentLabel ?? DEFAULT_ENVIRONMENT_LABEL;
  const labelled = app.labels?.[label];
  if (labelled) {
    if (topology.environments.some(e => e.name === labelled)) {
      return { placement: { environment: labelled, cluster: cluster.name } };
    }
    return {
      reason: `label ${label}=${labelled} names no configured environment (gitops.environments)`,
    };
  }
  const owner = topology.environments.find(e =>
    e.clusters.includes(cluster.name),
  );
  if (!owner) {
    return {
      reason: `cluster ${cluster.name} belongs to no configured environment and the Application has no ${label} label`,
    };
  }
  return { placement: { environment: owner.name, cluster: cluster.name } };
}
