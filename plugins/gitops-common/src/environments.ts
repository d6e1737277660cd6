/**
 * Environment summaries: the version an environment runs, skew between its clusters, its
 * overall health and sync, and its lag behind the previous environment.
 */
import type {
  ClusterState,
  EnvironmentState,
  HealthStatus,
  Lag,
  SyncStatus,
} from './state';
import {
  compareVersions,
  isVersionRange,
  satisfiesVersionRange,
} from './versions';

const HEALTH_SEVERITY: HealthStatus[] = [
  'Healthy',
  'Suspended',
  'Progressing',
  'Unknown',
  'Missing',
  'Degraded',
];

/** The worst of several health statuses (`Degraded` worst, `Healthy` best). @public */
export function worstHealth(statuses: HealthStatus[]): HealthStatus {
  if (statuses.length === 0) {
    return 'Unknown';
  }
  return statuses.reduce((worst, s) =>
    HEALTH_SEVERITY.indexOf(s) > HEALTH_SEVERITY.indexOf(worst) ? s : worst,
  );
}

/** `OutOfSync` if any is, `Synced` if all are, else `Unknown`. @public */
export function combinedSync(statuses: SyncStatus[]): SyncStatus {
  if (statuses.includes('OutOfSync')) {
    return 'OutOfSync';
  }
  if (statuses.length > 0 && statuses.every(s => s === 'Synced')) {
    return 'Synced';
  }
  return 'Unknown';
}

/** Whether one cell's live version differs from what Git says it should run. @public */
export function isCellSkewed(
  cell: Pick<ClusterState, 'liveVersion' | 'desiredVersion'>,
): boolean {
  if (cell.liveVersion === undefined || cell.desiredVersion === undefined) {
    return false;
  }
  if (cell.liveVersion === cell.desiredVersion) {
    return false;
  }
  // a chart targetRevision may be a range (`4.11.*`, `^1.2.0`); a live version in it is no skew
  return !(
    isVersionRange(cell.desiredVersion) &&
    satisfiesVersionRange(cell.liveVersion, cell.desiredVersion)
  );
}

/** Distinct versions, highest first. @public */
export function distinctVersions(
  versions: Array<string | undefined>,
): string[] {
  return [...new Set(versions.filter((v): v is string => !!v))].sort((a, b) =>
    compareVersions(b, a),
  );
}

/**
 * How far an environment is behind the previous one: behind when its lowest live version is
 * older than the previous environment's highest. `versionsBehind` counts the distinct versions
 * in between among `knownVersions` (every version the state has seen), so it is a lower bound.
 *
 * @public
 */
export function computeLag(
  previous: { name: string; versions: string[] },
  current: { versions: string[] },
  knownVersions: string[] = [],
): Lag {
  const previousVersion = previous.versions[0];
  const lowest = current.versions[current.versions.length - 1];
  const lag: Lag = {
    previousEnvironment: previous.name,
    previousVersion,
    behind: false,
  };
  if (!previousVersion || !lowest) {
    return lag;
  }
  lag.behind = compareVersions(lowest, previousVersion) < 0;
  lag.versionsBehind = distinctVersions([
    ...knownVersions,
    previousVersion,
  ]).filter(
    v =>
      compareVersions(v, lowest) > 0 &&
      compareVersions(v, previousVersion) <= 0,
  ).length;
  return lag;
}

/** An environment with its cells, before summarizing. @public */
export interface EnvironmentCells {
  name: string;
  title: string;
  clusters: ClusterState[];
}

/**
 * Summarizes environments, in promotion order: version(s), skew between clusters, health, sync,
 * lag behind the previous environment and the next environment.
 *
 * @public
 */
export function summarizeEnvironments(
  environments: EnvironmentCells[],
): EnvironmentState[] {
  const knownVersions = distinctVersions(
    environments.flatMap(e =>
      e.clusters.flatMap(c => [c.liveVersion, c.desiredVersion]),
    ),
  );
  const summaries: EnvironmentState[] = [];
  environments.forEach((env, index) => {
    const deployed = env.clusters.filter(c => c.application);
    const versions = distinctVersions(deployed.map(c => c.liveVersion));
    const summary: EnvironmentState = {
      name: env.name,
      title: env.title,
      clusters: env.clusters,
      versions,
      skew: versions.length > 1,
      health: worstHealth(deployed.map(c => c.health)),
      sync: combinedSync(deployed.map(c => c.sync)),
    };
    if (versions.length === 1) {
      summary.version = versions[0];
    }
    const previous = summaries[index - 1];
    if (previous) {
      summary.lag = computeLag(previous, summary, knownVersions);
    }
    const next = environments[index + 1];
    if (next) {
      summary.next = next.name;
    }
    summaries.push(summary);
  });
  return summaries;
}
