/**
 * The system under soak: the backend's store, Git reader and state service over the generated
 * world, on a simulated clock, and one second of traffic at a time.
 */
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
// The state service, the Git reader and the store are internals of the backend plugin; the soak
// bench drives them in process with a simulated clock.
/* eslint-disable @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports */
import { readGitopsConfig } from '@backstage-gitops/plugin-gitops-node';
import { INDEXED_LABELS } from '@backstage-gitops/plugin-gitops-backend/src/entities/entityQuery';
import { DesiredVersionReader } from '@backstage-gitops/plugin-gitops-backend/src/git/DesiredVersionReader';
import { GitopsStateService } from '@backstage-gitops/plugin-gitops-backend/src/state/GitopsStateService';
import { ApplicationStore } from '@backstage-gitops/plugin-gitops-backend/src/store/ApplicationStore';
/* eslint-enable @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports */
import { entity, ENVS, serviceNames } from '../benchHelpers';
import {
  AppState,
  GIT_HOST,
  instanceNames,
  seededRandom,
  slimApplication,
  soakSource,
  versionAt,
} from './soakWorld';

/** The size of the world and the traffic per simulated second. */
export interface SoakOptions {
  clusters: number;
  appsPerCluster: number;
  /** Application changes per second; a third of them syncs to the newest commit. */
  changesPerS: number;
  commitEveryS: number;
  stateRequestsPerS: number;
  historyRequestsPerS: number;
  /** `gitops.cache` of the backend under soak. */
  cache: object;
}

/** What each cache did so far, by cache name. */
export type Stats = Record<
  string,
  {
    bound: number;
    unit: string;
    inserted: number;
    evicted: number;
    expired: number;
    held: number;
  }
>;

type LoggerService = ConstructorParameters<
  typeof DesiredVersionReader
>[0]['logger'];

const silent: LoggerService = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => silent,
};

function world(options: SoakOptions) {
  const instances = instanceNames(options.clusters);
  const services = serviceNames(options.appsPerCluster);
  const config = readGitopsConfig(
    new ConfigReader({
      gitops: {
        environments: ENVS.map(env => ({
          name: env,
          clusters: instances.map(i => `${i}-${env}`),
        })),
        clusters: instances.flatMap(i =>
          ENVS.map(env => ({ name: `${i}-${env}` })),
        ),
        instances: instances.map(name => ({
          name,
          type: 'kubernetes',
          url: `https://${name}.soak.test`,
          token: 'soak',
        })),
        cache: options.cache,
      },
    }),
  );
  return { instances, services, config };
}

/** Builds the world and the backend over it; `tick()` runs one simulated second of traffic. */
export function createSoakSystem(options: SoakOptions) {
  const {
    clusters,
    appsPerCluster,
    changesPerS,
    commitEveryS,
    stateRequestsPerS,
    historyRequestsPerS,
  } = options;
  // Argo CD syncs a service's Applications in all clusters of an environment together (one
  // ApplicationSet): a third of the changes are such syncs, to the newest commit
  const syncsPerS = Math.round(changesPerS / 3 / clusters);
  const { instances, services, config } = world(options);
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = () => now;
  const random = seededRandom(17);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];

  const store = new ApplicationStore([
    ...new Set([...INDEXED_LABELS, config.environmentLabel]),
  ]);
  const apps: AppState[] = [];
  for (const instance of instances) {
    for (let i = 0; i < appsPerCluster; i++) {
      const service = services[i % services.length];
      const env = ENVS[Math.floor(i / services.length) % ENVS.length];
      const state: AppState = {
        instance,
        service,
        env,
        commit: 0,
        historyId: 1,
        syncedAt: now,
        health: 'Healthy',
        sync: 'Synced',
        image: versionAt(service, env, 0),
      };
      apps.push(state);
      store.upsert(instance, slimApplication(state));
    }
  }
  const versions = new DesiredVersionReader({
    integrations: ScmIntegrations.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            {
              host: GIT_HOST,
              apiBaseUrl: `https://${GIT_HOST}/api/v3`,
              token: 'soak',
            },
          ],
        },
      }),
    ),
    logger: silent,
    helmValuesKey: config.helmValuesKey,
    timeoutMs: config.gitTimeoutMs,
    branchTtlMs: config.gitBranchTtlMs,
    yamlLimits: config.yamlLimits,
    cacheLimits: config.cache.git,
    clock,
  });
  const state = new GitopsStateService({
    config,
    store,
    sources: instances.map(instance =>
      soakSource(instance, name => store.get(instance, 'argocd', name)),
    ),
    versions,
    logger: silent,
    gitWaitMs: config.gitWaitMs,
    clock,
  });
  const entities = services.map(entity);
  const stats = (): Stats => ({
    ...versions.cacheStats(),
    ...state.cacheStats(),
  });

  let commit = 0;
  const counts = {
    changes: 0,
    states: 0,
    histories: 0,
    cells: 0,
    desired: 0,
    gitErrors: 0,
  };
  async function tick(second: number) {
    now += 1_000;
    if (second % commitEveryS === 0) commit++;
    const change = (i: number, next: AppState) => {
      apps[i] = next;
      store.upsert(next.instance, slimApplication(next));
      counts.changes++;
    };
    for (let g = 0; g < syncsPerS; g++) {
      const first = Math.floor(random() * appsPerCluster);
      for (let c = 0; c < clusters; c++) {
        const i = c * appsPerCluster + first;
        const app = apps[i];
        change(i, {
          ...app,
          commit,
          historyId: app.historyId + 1,
          syncedAt: now,
          sync: 'Synced',
          health: 'Progressing',
        });
      }
    }
    // the other changes are one Application's: health and sync status, or a finished rollout
    for (let c = syncsPerS * clusters; c < changesPerS; c++) {
      const i = Math.floor(random() * apps.length);
      const app = apps[i];
      change(
        i,
        random() < 0.5
          ? {
              ...app,
              health: pick(['Healthy', 'Progressing', 'Degraded'] as const),
              sync: pick(['Synced', 'OutOfSync'] as const),
            }
          : {
              ...app,
              image: versionAt(app.service, app.env, app.commit),
              health: 'Healthy',
            },
      );
    }
    const requests: Promise<void>[] = [];
    for (let r = 0; r < stateRequestsPerS; r++) {
      requests.push(
        state.getState(pick(entities)).then(s => {
          counts.states++;
          for (const cell of s.environments.flatMap(e => e.clusters)) {
            if (!cell.application) continue;
            counts.cells++;
            if (cell.desiredVersion) counts.desired++;
          }
          counts.gitErrors += s.errors.filter(e =>
            e.source.startsWith('git:'),
          ).length;
        }),
      );
    }
    for (let r = 0; r < historyRequestsPerS; r++) {
      requests.push(
        state.getHistory(pick(entities), pick(ENVS)).then(() => {
          counts.histories++;
        }),
      );
    }
    await Promise.all(requests);
  }

  return {
    applications: apps.length,
    entities: entities.length,
    tick,
    stats,
    counts,
    commits: () => commit,
  };
}
