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

/**
 * Finds the configured cluster an Application's `spec.destination` points at: by name first,
 * then by server URL, each also matched against the cluster's aliases.
 *
 * @public
 */
export function resolveCluster(
  destination: PlacementInput['destination'],
  clusters: GitopsCluster[],
): GitopsCluster | undefined {
  if (!destination) {
    return undefined;
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
  options?: { environmentLabel?: string },
): PlacementResult {
  const cluster = resolveCluster(app.destination, topology.clusters);
  if (!cluster) {
    const target =
      app.destination?.name ?? app.destination?.server ?? '(no destination)';
    return {
      reason: `destination ${target} is not a configured cluster (gitops.clusters)`,
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
