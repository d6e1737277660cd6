import { InputError } from '@backstage/errors';
import { GitopsConfig, SyncMode } from '@backstage-gitops/plugin-gitops-node';

/** One environment of a new service and the clusters it lands on. */
export interface EnvironmentPlacement {
  environment: string;
  clusters: string[];
  sync: SyncMode;
}

/** An environment as the template asks for it; clusters default to the configured ones. */
export interface RequestedEnvironment {
  name: string;
  clusters?: string[];
}

function defaultSyncMode(
  gitops: GitopsConfig,
  environment: string,
  isLast: boolean,
): SyncMode {
  return (
    gitops.template.syncPolicy[environment] ?? (isLast ? 'manual' : 'automated')
  );
}

/**
 * Works out where a new service lands: the requested environments (default: all configured, in
 * their configured order) with their clusters (default: the environment's configured clusters)
 * and sync policy (default: automated, but manual in the last environment, typically prod).
 * Throws an InputError naming what is wrong before anything is written.
 */
export function resolvePlacements(options: {
  gitops: GitopsConfig;
  requested?: RequestedEnvironment[];
  syncPolicy?: Record<string, SyncMode>;
}): EnvironmentPlacement[] {
  const { gitops, requested, syncPolicy = {} } = options;
  const configured = gitops.topology.environments;
  const knownClusters = new Set(gitops.topology.clusters.map(c => c.name));
  if (configured.length === 0) {
    throw new InputError(
      'No environments are configured (gitops.environments), so there is nowhere to deploy a new service',
    );
  }
  const byName = new Map(configured.map(env => [env.name, env]));
  const wanted: RequestedEnvironment[] = requested?.length
    ? requested
    : configured.map(env => ({ name: env.name }));

  const seen = new Set<string>();
  for (const env of wanted) {
    if (!byName.has(env.name)) {
      throw new InputError(
        `Unknown environment '${
          env.name
        }'; configured environments are ${configured
          .map(e => e.name)
          .join(', ')}`,
      );
    }
    if (seen.has(env.name)) {
      throw new InputError(`Environment '${env.name}' is listed twice`);
    }
    seen.add(env.name);
  }
  for (const name of Object.keys(syncPolicy)) {
    if (!seen.has(name)) {
      throw new InputError(
        `syncPolicy names environment '${name}', which is not one of the service's environments (${[
          ...seen,
        ].join(', ')})`,
      );
    }
  }

  const lastConfigured = configured[configured.length - 1].name;
  // Placements follow the configured order (dev -> staging -> prod), whatever order was asked.
  return configured
    .filter(env => seen.has(env.name))
    .map(env => {
      const asked = wanted.find(w => w.name === env.name)!;
      const clusters = asked.clusters?.length ? asked.clusters : env.clusters;
      if (clusters.length === 0) {
        throw new InputError(
          `Environment '${env.name}' has no clusters; list them in gitops.environments or in the template's input`,
        );
      }
      for (const cluster of clusters) {
        if (!knownClusters.has(cluster) && !env.clusters.includes(cluster)) {
          throw new InputError(
            `Unknown cluster '${cluster}' in environment '${
              env.name
            }'; configured clusters are ${[...knownClusters].join(', ')}`,
          );
        }
        if (!env.clusters.includes(cluster)) {
          throw new InputError(
            `Cluster '${cluster}' does not belong to environment '${
              env.name
            }', whose clusters are ${env.clusters.join(', ')}`,
          );
        }
      }
      if (new Set(clusters).size !== clusters.length) {
        throw new InputError(
          `Environment '${env.name}' lists a cluster twice: ${clusters.join(
            ', ',
          )}`,
        );
      }
      return {
        environment: env.name,
        clusters,
        sync:
          syncPolicy[env.name] ??
          defaultSyncMode(gitops, env.name, env.name === lastConfigured),
      };
    });
}
