import {
  ControlPlaneApplication,
  ControlPlaneCluster,
  ControlPlaneHealth,
  ControlPlaneInstance,
  placeApplication,
} from '@backstage-gitops/plugin-gitops-common';
import {
  GitopsConfig,
  InstanceConfig,
} from '@backstage-gitops/plugin-gitops-node';
import { ApplicationEpisodes } from '../episodes/ApplicationEpisodes';
import { ApplicationSource } from '../sources/types';
import { ApplicationStore } from '../store/ApplicationStore';
import { topSyncFailureReasons } from './syncFailureReasons';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_REASONS = 5;
/** Applications whose destination is no configured cluster are counted under this name. */
export const UNPLACED_CLUSTER = '(unplaced)';

/** What {@link computeControlPlaneHealth} reads. */
export interface ControlPlaneInputs {
  config: Pick<
    GitopsConfig,
    'topology' | 'instances' | 'environmentLabel' | 'controlPlane'
  >;
  store: Pick<ApplicationStore, 'list'>;
  sources: Pick<ApplicationSource, 'instance' | 'status'>[];
  episodes: Pick<
    ApplicationEpisodes,
    'since' | 'syncFailures' | 'watchingSince'
  >;
}

/** The Argo CD UI of an instance: its `uiUrl`, else the server URL of an `argocd` instance. */
export function argoCdUiUrl(instance: InstanceConfig): string | undefined {
  const url =
    instance.uiUrl ?? (instance.type === 'argocd' ? instance.url : undefined);
  return url?.replace(/\/+$/, '');
}

function byLongest(a: ControlPlaneApplication, b: ControlPlaneApplication) {
  return (a.since ?? '').localeCompare(b.since ?? '');
}

/**
 * Control-plane health per configured instance and the clusters its Applications land on, from
 * the store, the sources' status and the episodes (since when drifted or Degraded, sync failures
 * of the last 24 hours). One pass over the Applications; the lists are bounded to
 * `controlPlane.maxListed` per instance, the longest first.
 */
export function computeControlPlaneHealth(
  inputs: ControlPlaneInputs,
  now: number = Date.now(),
): ControlPlaneHealth {
  const { config, store, sources, episodes } = inputs;
  const { outOfSyncThresholdMs, maxListed } = config.controlPlane;
  const clusterOrder = config.topology.environments.flatMap(e => e.clusters);
  const failures = episodes.syncFailures(now - DAY_MS);

  const instances = config.instances.map(
    (instanceConfig): ControlPlaneInstance => {
      const name = instanceConfig.name;
      const status = sources.find(s => s.instance === name)?.status();
      const uiUrl = argoCdUiUrl(instanceConfig);
      const clusters = new Map<string, ControlPlaneCluster>();
      const clusterOf = new Map<string, string>();
      const outOfSyncLong: ControlPlaneApplication[] = [];
      const degraded: ControlPlaneApplication[] = [];
      const apps = store.list(name);
      for (const { app } of apps) {
        const placed = placeApplication(
          { destination: app.destination, labels: app.metadata.labels },
          config.topology,
          {
            environmentLabel: config.environmentLabel,
            instanceClusters: instanceConfig.clusters,
          },
        ).placement;
        const clusterName = placed?.cluster ?? UNPLACED_CLUSTER;
        let cluster = clusters.get(clusterName);
        if (!cluster) {
          cluster = {
            name: clusterName,
            ...(placed ? { environment: placed.environment } : {}),
            applications: 0,
            outOfSync: 0,
            degraded: 0,
            syncFailures24h: 0,
          };
          clusters.set(clusterName, cluster);
        }
        const key = {
          instance: name,
          namespace: app.metadata.namespace,
          name: app.metadata.name,
        };
        clusterOf.set(`${key.namespace}/${key.name}`, clusterName);
        cluster.applications++;
        const listed = {
          ...key,
          ...(placed ? { cluster: placed.cluster } : {}),
          ...(uiUrl
            ? { url: `${uiUrl}/applications/${key.namespace}/${key.name}` }
            : {}),
        };
        const driftSince = episodes.since('drift', key);
        if (driftSince !== undefined) {
          cluster.outOfSync++;
          if (driftSince <= now - outOfSyncThresholdMs) {
            outOfSyncLong.push({
              ...listed,
              since: new Date(driftSince).toISOString(),
              message:
                app.sync === 'OutOfSync' ? 'OutOfSync' : 'drifted resources',
            });
          }
        }
        if (app.health === 'Degraded') {
          cluster.degraded++;
          const since = episodes.since('degraded', key);
          degraded.push({
            ...listed,
            ...(since !== undefined
              ? { since: new Date(since).toISOString() }
              : {}),
            ...(app.operation?.message
              ? { message: app.operation.message }
              : {}),
          });
        }
      }
      const ownFailures = failures.filter(f => f.instance === name);
      for (const failure of ownFailures) {
        const clusterName = clusterOf.get(
          `${failure.namespace}/${failure.name}`,
        );
        const cluster = clusterName ? clusters.get(clusterName) : undefined;
        if (cluster) cluster.syncFailures24h++;
      }
      const rank = (c: ControlPlaneCluster) => {
        const i = clusterOrder.indexOf(c.name);
        return i < 0 ? clusterOrder.length : i;
      };
      return {
        name,
        type: status?.type ?? instanceConfig.type,
        state: status?.state ?? 'starting',
        errors: status?.errors ?? [],
        ...(status?.lastActivityAt
          ? { lastEventAt: status.lastActivityAt }
          : {}),
        ...(uiUrl ? { url: uiUrl } : {}),
        applications: apps.length,
        clusters: [...clusters.values()].sort(
          (a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name),
        ),
        syncFailures24h: ownFailures.length,
        topSyncFailureReasons: topSyncFailureReasons(
          ownFailures.map(f => f.message),
          MAX_REASONS,
        ),
        outOfSyncLong: outOfSyncLong.sort(byLongest).slice(0, maxListed),
        degraded: degraded.sort(byLongest).slice(0, maxListed),
      };
    },
  );

  return {
    instances,
    outOfSyncThresholdMinutes: outOfSyncThresholdMs / 60_000,
    watchingSince: new Date(episodes.watchingSince).toISOString(),
    updatedAt: new Date(now).toISOString(),
  };
}
