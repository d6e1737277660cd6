import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  EnvironmentHistory,
  HistoryEntry,
  SourceError,
} from '@backstage-gitops/plugin-gitops-common';
import { boundedCache, CacheStats } from '../../cache/boundedCache';
import { CacheLimits } from '@backstage-gitops/plugin-gitops-node';
import { GitopsConfig } from '@backstage-gitops/plugin-gitops-node';
import {
  EntityQuery,
  findEntityApplications,
  readEntityQuery,
} from '../../entities/entityQuery';
import {
  DesiredVersion,
  DesiredVersionReader,
  GitReadError,
} from '../../git/DesiredVersionReader';
import { projectApplication } from '../../sources/projectApplication';
import { ApplicationSource, SlimSource } from '../../sources/types';
import {
  ApplicationStore,
  StoredApplication,
} from '../../store/ApplicationStore';
import {
  applicationRef,
  COMMIT_SHA,
  mainSource,
  sourceErrors,
  webUrlOf,
} from '../applicationLinks';
import { placeEntityApplications } from '../placeEntityApplications';
import pLimit from 'p-limit';

/** History entries shown per Application. */
const HISTORY_ENTRIES = 10;
/** Upstream Application reads in flight at once, over all history requests of this replica. */
const READ_CONCURRENCY = 8;
/** A failed read is answered from the cache this long, so an outage is not asked per request. */
export const FAILED_READ_TTL_MS = 10_000;

/** Options of {@link ApplicationHistoryService}. */
export interface ApplicationHistoryServiceOptions {
  config: GitopsConfig;
  store: ApplicationStore;
  sources: ApplicationSource[];
  versions: Pick<DesiredVersionReader, 'versionAt'>;
  limits: CacheLimits['history'];
  /** Milliseconds now, for the cache's time to live; tests and benchmarks simulate it. */
  clock?: () => number;
}

/** The Argo CD history of an Application as read, with the sync it was read after. */
interface RawHistory {
  /** `historyId/lastSyncedAt` of the Application when it was read: a sync makes it stale. */
  version: string;
  raw: Promise<unknown>;
}

/**
 * The deployment history of an entity in one environment: the `status.history` of each of its
 * Applications there, read from the Argo CD instance (the store keeps no history) and held in an
 * LRU cache bounded by `limits`, until the Application syncs again or the entry's time to live
 * runs out. Concurrent requests for one Application share one read; reads go upstream a few at
 * a time, and a failed one is answered from the cache for {@link FAILED_READ_TTL_MS}.
 */
export class ApplicationHistoryService {
  readonly #options: ApplicationHistoryServiceOptions;
  readonly #raw;
  readonly #limit = pLimit(READ_CONCURRENCY);

  constructor(options: ApplicationHistoryServiceOptions) {
    this.#options = options;
    this.#raw = boundedCache<string, RawHistory>({
      maxEntries: options.limits.maxEntries,
      ttlMs: options.limits.ttlMs,
      clock: options.clock,
    });
  }

  /** Insertions, evictions and expirations of the history cache so far. */
  cacheStats(): CacheStats {
    return this.#raw.stats();
  }

  async getHistory(
    entity: Entity,
    environment: string,
  ): Promise<EnvironmentHistory> {
    const { config, store } = this.#options;
    const entityRef = stringifyEntityRef(entity);
    if (!config.topology.environments.some(e => e.name === environment)) {
      throw new InputError(
        `Unknown environment ${environment}; configured environments are ${
          config.topology.environments.map(e => e.name).join(', ') || 'none'
        }`,
      );
    }
    const read = readEntityQuery(
      entity,
      config.instances.map(i => i.name),
    );
    if (!read.configured) {
      return {
        entityRef,
        environment,
        status: 'not-configured',
        entries: [],
        errors: [],
      };
    }
    const errors: SourceError[] = [...read.errors];
    const entries: HistoryEntry[] = [];
    if (!read.query) {
      return { entityRef, environment, status: 'ok', entries, errors };
    }
    const query = read.query;
    const found = findEntityApplications(
      store,
      query,
      config.maxApplicationsPerEntity,
    );
    if (found.error) errors.push(found.error);
    // the Applications the state shows, one per cell: an ambiguous second one is not read
    const apps = placeEntityApplications(
      found.applications,
      config,
    ).placed.filter(p => p.environment === environment);
    await Promise.all(
      apps.map(async ({ stored, cluster }) => {
        try {
          entries.push(
            ...(await this.#appHistory(stored, cluster, query, errors)),
          );
        } catch (error) {
          errors.push({
            source: `instance:${stored.instance}`,
            instance: stored.instance,
            cluster,
            environment,
            kind: 'unreachable',
            message: `Could not read the history of ${
              stored.app.metadata.name
            }: ${(error as Error).message}`,
          });
        }
      }),
    );
    errors.push(...sourceErrors(this.#options.sources, query.instances));
    entries.sort((a, b) =>
      (b.deployedAt ?? '').localeCompare(a.deployedAt ?? ''),
    );
    return { entityRef, environment, status: 'ok', entries, errors };
  }

  /** The raw Application with its history, read once per sync and time to live. */
  #rawHistory(
    source: ApplicationSource,
    { instance, app }: StoredApplication,
  ): Promise<unknown> {
    const key = `${instance}/${app.metadata.namespace}/${app.metadata.name}`;
    const version = `${app.historyId}/${app.lastSyncedAt}`;
    const cached = this.#raw.cache.get(key);
    if (cached?.version === version) return cached.raw;
    const entry: RawHistory = {
      version,
      raw: this.#limit(() =>
        source.getApplication(app.metadata.namespace, app.metadata.name),
      ),
    };
    entry.raw.catch(() => {
      // a failed read is kept briefly; a newer read of the key may have replaced it already
      if (this.#raw.cache.peek(key) === entry) {
        this.#raw.cache.set(key, entry, { ttl: FAILED_READ_TTL_MS });
      }
    });
    this.#raw.cache.set(key, entry);
    return entry.raw;
  }

  async #appHistory(
    stored: StoredApplication,
    cluster: string,
    query: EntityQuery,
    errors: SourceError[],
  ): Promise<HistoryEntry[]> {
    const { app, instance } = stored;
    const source = this.#options.sources.find(s => s.instance === instance);
    if (!source) return [];
    const raw = (await this.#rawHistory(source, stored)) as any;
    const history: any[] = Array.isArray(raw?.status?.history)
      ? raw.status.history
      : [];
    const recent = history.slice(-HISTORY_ENTRIES - 1);
    const ref = applicationRef(this.#options.config, stored);
    const entries = await Promise.all(
      recent.map(async (h, i): Promise<HistoryEntry | undefined> => {
        if (i === 0 && recent.length > HISTORY_ENTRIES) return undefined;
        const revision: string | undefined = h.revision ?? h.revisions?.[0];
        const rawSources: any[] = h.sources ?? (h.source ? [h.source] : []);
        let sources: SlimSource[] = [];
        try {
          sources = projectApplication({
            metadata: { name: app.metadata.name },
            spec: { sources: rawSources, destination: app.destination },
            status: { sync: { revisions: h.revisions ?? [revision] } },
          }).sources;
        } catch {
          sources = [];
        }
        const previous = recent[i - 1];
        const previousRevision: string | undefined =
          previous?.revision ?? previous?.revisions?.[0];
        const main =
          sources.find(s => s.chart) ?? sources.find(s => s.path) ?? sources[0];
        const web = main && !main.chart ? webUrlOf(main.repoURL) : undefined;
        let desired: DesiredVersion = {};
        if (sources.length) {
          try {
            desired = await this.#options.versions.versionAt(
              sources,
              query.serviceNames,
            );
          } catch (error) {
            if (error instanceof GitReadError) {
              errors.push({
                source: `git:${error.repository}`,
                cluster,
                kind: 'git',
                message: error.message,
              });
            }
          }
        }
        const current =
          revision !== undefined &&
          revision === mainSource(app)?.revision &&
          h.id === app.historyId;
        return {
          cluster,
          application: ref,
          id: Number(h.id),
          deployedAt: h.deployedAt,
          revision,
          revisionUrl:
            web && revision && COMMIT_SHA.test(revision)
              ? `${web}/commit/${revision}`
              : undefined,
          version:
            desired.version ?? (main?.chart ? main.targetRevision : undefined),
          images: current ? app.images : [],
          compareUrl:
            web && revision && previousRevision && previousRevision !== revision
              ? `${web}/compare/${previousRevision}...${revision}`
              : undefined,
        };
      }),
    );
    return entries.filter((e): e is HistoryEntry => !!e);
  }
}
