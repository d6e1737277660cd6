import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ClusterState,
  EntityGitopsState,
  EnvironmentHistory,
  isCellSkewed,
  SourceError,
  summarizeEnvironments,
  emptyDrift,
  TrackedPromotion,
} from '@backstage-gitops/plugin-gitops-common';
import { boundedCache, CacheStats } from '../cache/boundedCache';
import {
  GitopsConfig,
  isPackagedChart,
} from '@backstage-gitops/plugin-gitops-node';
import {
  EntityQuery,
  findEntityApplications,
  matchesQuery,
  readEntityQuery,
} from '../entities/entityQuery';
import {
  DesiredVersion,
  DesiredVersionReader,
  GitReadError,
} from '../git/DesiredVersionReader';
import {
  ApplicationSource,
  SlimApplication,
  SlimSource,
} from '../sources/types';
import { ApplicationStore, StoredApplication } from '../store/ApplicationStore';
import { ApplicationClaims } from '../entities/ApplicationClaims';
import {
  applicationRef,
  COMMIT_SHA,
  mainSource,
  sourceErrors,
  revisionSource,
  webUrlOf,
} from './applicationLinks';
import { ApplicationHistoryService } from './history/ApplicationHistoryService';
import { placeEntityApplications } from './placeEntityApplications';
import { liveImage } from './liveImage';
import { RenderedVersionReader } from '../git/RenderedVersionReader';

/** Source types whose manifests Argo CD renders with no version file: Jsonnet, plain, plugins. */
const RENDERED_TYPES = new Set(['Directory', 'Plugin']);

/** The live version of a chart source: the chart version Argo CD last synced. */
function chartLiveVersion(source: SlimSource) {
  const version = source.revision ?? source.targetRevision;
  return {
    version,
    reason: version ? undefined : 'the chart source names no version',
  };
}

/** Options of {@link GitopsStateService}. */
export interface GitopsStateServiceOptions {
  config: GitopsConfig;
  store: ApplicationStore;
  sources: ApplicationSource[];
  versions: DesiredVersionReader;
  logger: LoggerService;
  /** Bound on the Git reads of one request; later requests get the result from the cache. */
  gitWaitMs?: number;
  /**
   * Reads the desired version of Jsonnet, plugin and directory sources from the manifests their
   * Argo CD instance renders, when Git reading found none.
   */
  rendered?: Pick<RenderedVersionReader, 'cached' | 'desiredVersion'>;
  /** Flags Applications that entities of other owners select too. */
  claims?: Pick<ApplicationClaims, 'conflicts'>;
  /** Milliseconds now, for the caches' times to live; tests and benchmarks simulate it. */
  clock?: () => number;
}

/** The caches of a {@link GitopsStateService}, for benchmarks and tests. */
export interface GitopsStateCacheStats {
  history: CacheStats;
  recentEntities: CacheStats;
}

/**
 * Computes the deployment state of entities from the in-memory store: placement of each of the
 * entity's Applications, live and desired versions, drift, skew and lag, plus the errors of the
 * sources that could not contribute. Serves from memory; Git reads are cached.
 */
export class GitopsStateService {
  readonly #options: GitopsStateServiceOptions;
  readonly #clock: () => number;
  readonly #recent;
  readonly #history: ApplicationHistoryService;
  #promotions?: { forEntity(entityRef: string): TrackedPromotion[] };

  constructor(options: GitopsStateServiceOptions) {
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    const limits = options.config.cache;
    this.#recent = boundedCache<string, { query: EntityQuery; at: number }>({
      maxEntries: limits.recentEntities.maxEntries,
      ttlMs: limits.recentEntities.ttlMs,
      clock: this.#clock,
    });
    this.#history = new ApplicationHistoryService({
      ...options,
      limits: limits.history,
      clock: this.#clock,
    });
  }

  /**
   * Where the tracked promotions come from: each environment of a state then shows the newest
   * promotion into it (set once the tracker exists, which reads this service).
   */
  usePromotions(promotions: {
    forEntity(entityRef: string): TrackedPromotion[];
  }) {
    this.#promotions = promotions;
  }

  /** Insertions, evictions and expirations of the caches so far. */
  cacheStats(): GitopsStateCacheStats {
    return {
      history: this.#history.cacheStats(),
      recentEntities: this.#recent.stats(),
    };
  }

  /** Entities whose state was asked for recently, with their queries (for signals). */
  recentEntities(
    maxAgeMs: number,
  ): Array<{ entityRef: string; query: EntityQuery }> {
    const cutoff = this.#clock() - maxAgeMs;
    const recent: Array<{ entityRef: string; query: EntityQuery }> = [];
    // entries() skips expired entries and leaves the LRU order as it is
    for (const [entityRef, { query, at }] of this.#recent.cache.entries()) {
      if (at >= cutoff) recent.push({ entityRef, query });
    }
    return recent;
  }

  /**
   * The entity's state. `remember: false` keeps the entity out of the recent entities (the
   * overview reads every entity; only open tabs should get signals). `readGit: false` takes
   * desired versions only from the caches and starts no read (the overview shows none, and must
   * not read every GitOps repository at start).
   */
  async getState(
    entity: Entity,
    options?: { remember?: boolean; readGit?: boolean },
  ): Promise<EntityGitopsState> {
    const { config, store } = this.#options;
    const entityRef = stringifyEntityRef(entity);
    const read = readEntityQuery(
      entity,
      config.instances.map(i => i.name),
    );
    if (!read.configured) {
      return {
        entityRef,
        status: 'not-configured',
        environments: [],
        errors: [],
        updatedAt: new Date().toISOString(),
      };
    }
    const errors: SourceError[] = [...read.errors];
    const cells = new Map<string, ClusterState>();
    let updatedAt = 0;

    if (read.query) {
      const query = read.query;
      if (options?.remember !== false) {
        this.#recent.cache.set(entityRef, { query, at: this.#clock() });
      }
      // by name first: of two Applications in one cell, the same one is always shown
      const found = findEntityApplications(
        store,
        query,
        config.maxApplicationsPerEntity,
      );
      if (found.error) errors.push(found.error);
      if (this.#options.claims) {
        errors.push(
          ...(await this.#options.claims.conflicts(entity, found.applications)),
        );
      }
      const { placed, errors: placementErrors } = placeEntityApplications(
        found.applications,
        config,
      );
      errors.push(...placementErrors);
      const desired =
        options?.readGit === false
          ? this.#cachedDesiredVersions(
              placed.map(p => p.stored),
              query,
            )
          : await this.#desiredVersions(
              placed.map(p => p.stored),
              query,
            );
      placed.forEach(({ stored, environment, cluster }, i) => {
        const outcome = desired[i];
        if (outcome.error) {
          errors.push({
            source: `git:${outcome.error.repository}`,
            cluster,
            environment,
            kind: outcome.error.kind,
            message: outcome.error.message,
          });
        }
        cells.set(
          `${environment}/${cluster}`,
          this.#cell(stored, environment, cluster, query, outcome.desired),
        );
        for (const t of [stored.app.lastSyncedAt]) {
          const time = t ? Date.parse(t) : NaN;
          if (!Number.isNaN(time) && time > updatedAt) updatedAt = time;
        }
      });
      for (const entry of store.malformed()) {
        if (matchesQuery(query, entry.instance, entry)) {
          errors.push({
            source: `instance:${entry.instance}`,
            instance: entry.instance,
            kind: 'malformed',
            message: entry.message,
          });
        }
      }
      errors.push(...sourceErrors(this.#options.sources, query.instances));
    }

    const failing = new Map(
      this.#options.sources
        .map(s => s.status())
        .filter(s => s.error)
        .map(s => [s.instance, s.error!]),
    );
    const environments = config.topology.environments.map(env => {
      const clusters = [...env.clusters];
      for (const key of cells.keys()) {
        const [e, c] = key.split('/');
        if (e === env.name && !clusters.includes(c)) clusters.push(c);
      }
      return {
        name: env.name,
        title: env.title,
        clusters: clusters.map(cluster => {
          const cell =
            cells.get(`${env.name}/${cluster}`) ??
            this.#emptyCell(env.name, cluster);
          const instance =
            cell.application?.instance ??
            config.instances.find(i => i.clusters?.includes(cluster))?.name;
          const error = instance ? failing.get(instance) : undefined;
          if (error) cell.error = { ...error, cluster, environment: env.name };
          return cell;
        }),
      };
    });
    // newest first: the first into an environment is the one it shows
    const promotions = this.#promotions?.forEntity(entityRef) ?? [];
    return {
      entityRef,
      status: 'ok',
      environments: summarizeEnvironments(environments).map(env => {
        const promotion = promotions.find(p => p.to === env.name);
        return promotion ? { ...env, promotion } : env;
      }),
      errors,
      updatedAt: new Date(updatedAt || Date.now()).toISOString(),
    };
  }

  /** The deployment history of an entity in one environment. */
  getHistory(entity: Entity, environment: string): Promise<EnvironmentHistory> {
    return this.#history.getHistory(entity, environment);
  }

  #cachedDesiredVersions(
    stored: StoredApplication[],
    query: EntityQuery,
  ): Array<{ desired: DesiredVersion; error?: GitReadError }> {
    const { serviceNames, imageRepositories } = query;
    return stored.map(entry => ({
      desired: this.#options.versions.cached(entry.app, serviceNames, {
        parent: trackingParent(this.#options.store, entry),
        imageRepositories,
      }) ?? { reason: 'not read from Git yet' },
    }));
  }

  async #desiredVersions(stored: StoredApplication[], query: EntityQuery) {
    const { serviceNames, imageRepositories } = query;
    const { versions } = this.#options;
    return Promise.all(
      stored.map(async entry => {
        const { instance, app } = entry;
        const options = {
          parent: trackingParent(this.#options.store, entry),
          imageRepositories,
        };
        const fromGit = await this.#withinWait(
          app,
          () => versions.cached(app, serviceNames, options),
          () => versions.desiredVersion(app, serviceNames, options),
        );
        const { rendered } = this.#options;
        if (fromGit.desired.version || fromGit.error || !rendered) {
          return fromGit;
        }
        if (!RENDERED_TYPES.has(mainSource(app)?.sourceType ?? '')) {
          return fromGit;
        }
        // Git holds no version of a source Argo CD renders: ask Argo CD for what it renders
        const renderedQuery = {
          instance,
          app,
          serviceNames,
          imageRepositories: query.imageRepositories,
        };
        const fromArgo = await this.#withinWait(
          app,
          () => rendered.cached(renderedQuery),
          () => rendered.desiredVersion(renderedQuery),
        );
        if (fromArgo.desired.version || fromArgo.error) return fromArgo;
        return {
          desired: {
            reason: [fromGit.desired.reason, fromArgo.desired.reason]
              .filter(Boolean)
              .join('; '),
          },
        };
      }),
    );
  }

  /** A read bounded by `gitWaitMs`; a read that takes longer goes on and fills its cache. */
  async #withinWait(
    app: SlimApplication,
    cached: () => DesiredVersion | undefined,
    read: () => Promise<DesiredVersion>,
  ): Promise<{ desired: DesiredVersion; error?: GitReadError }> {
    const { gitWaitMs = 5_000 } = this.#options;
    const hit = cached();
    if (hit) return { desired: hit };
    const repository = mainSource(app)?.repoURL ?? 'unknown';
    let timer: NodeJS.Timeout | undefined;
    try {
      const desired = await Promise.race([
        read(),
        new Promise<never>((_resolve, reject) => {
          // The read goes on and fills the cache; this request says it has no answer yet.
          timer = setTimeout(
            () =>
              reject(
                new GitReadError(
                  `No answer from ${repository} within ${gitWaitMs} ms; the desired version appears once the read completes`,
                  repository,
                  'timeout',
                ),
              ),
            gitWaitMs,
          );
        }),
      ]);
      return { desired };
    } catch (error) {
      const gitError =
        error instanceof GitReadError
          ? error
          : new GitReadError((error as Error).message, repository);
      // the cell says why its desired version is unknown, beside the source error of the state
      return { desired: { reason: gitError.message }, error: gitError };
    } finally {
      clearTimeout(timer);
    }
  }

  #cell(
    stored: StoredApplication,
    environment: string,
    cluster: string,
    query: EntityQuery,
    desired: DesiredVersion,
  ): ClusterState {
    const { app } = stored;
    // a chart's version is live as the chart revision Argo CD resolved; a service's as its image
    const chart = app.sources.find(isPackagedChart);
    const chartVersioned = desired.source
      ? desired.source.locator.type === 'chart-revision'
      : !!chart;
    const live =
      chart && chartVersioned
        ? chartLiveVersion(chart)
        : liveImage(app.images, query, desired);
    const shown = revisionSource(app, desired.source?.repoUrl);
    const web = shown && !shown.chart ? webUrlOf(shown.repoURL) : undefined;
    const cell: ClusterState = {
      cluster,
      environment,
      application: applicationRef(this.#options.config, stored),
      sync: app.sync,
      health: app.health,
      liveImages: app.images,
      liveVersion: live.version,
      liveVersionReason: live.version ? undefined : live.reason,
      desiredVersion: desired.version,
      desiredSource: desired.source && {
        ...desired.source,
        description: this.#options.versions.describe?.(desired.source),
      },
      desiredReason: desired.reason,
      revision: shown?.revision,
      revisionUrl:
        web && shown?.revision && COMMIT_SHA.test(shown.revision)
          ? `${web}/commit/${shown.revision}`
          : undefined,
      lastSyncedAt: app.lastSyncedAt,
      operationPhase: app.operation?.phase ?? app.operationPhase,
      operation: app.operation,
      drift: app.drift,
      skew: false,
    };
    cell.skew = isCellSkewed(cell);
    return cell;
  }

  #emptyCell(environment: string, cluster: string): ClusterState {
    return {
      cluster,
      environment,
      sync: 'Unknown',
      health: 'Unknown',
      liveImages: [],
      drift: emptyDrift(),
      skew: false,
    };
  }
}

/**
 * The Application tracking one (its app-of-apps parent) in the same instance, by the instance
 * name Argo CD tracks it with (`<namespace>_<name>` for apps in any namespace).
 */
function trackingParent(
  store: ApplicationStore,
  { instance, app }: StoredApplication,
): SlimApplication | undefined {
  if (!app.trackedBy) return undefined;
  const [namespace, name] = app.trackedBy.includes('_')
    ? app.trackedBy.split('_', 2)
    : [app.metadata.namespace, app.trackedBy];
  return store.get(instance, namespace, name);
}
