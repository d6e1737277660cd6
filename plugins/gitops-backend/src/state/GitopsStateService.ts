import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ApplicationRef,
  ClusterState,
  EntityGitopsState,
  EnvironmentHistory,
  HistoryEntry,
  isCellSkewed,
  liveVersionFromImages,
  placeApplication,
  SourceError,
  summarizeEnvironments,
  emptyDrift,
} from '@backstage-gitops/plugin-gitops-common';
import { parseGithubRepositoryUrl } from '@backstage-gitops/plugin-gitops-node';
import { GitopsConfig } from '../config/readGitopsConfig';
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
import { projectApplication } from '../sources/projectApplication';
import {
  ApplicationSource,
  SlimApplication,
  SlimSource,
} from '../sources/types';
import { ApplicationStore, StoredApplication } from '../store/ApplicationStore';
import { ApplicationClaims } from '../entities/ApplicationClaims';

const COMMIT_SHA = /^[0-9a-f]{7,40}$/;
const HISTORY_ENTRIES = 10;
const HISTORY_TTL_MS = 60_000;

/** Options of {@link GitopsStateService}. */
export interface GitopsStateServiceOptions {
  config: GitopsConfig;
  store: ApplicationStore;
  sources: ApplicationSource[];
  versions: DesiredVersionReader;
  logger: LoggerService;
  /** Bound on the Git reads of one request; later requests get the result from the cache. */
  gitWaitMs?: number;
  /** Flags Applications that entities of other owners select too. */
  claims?: Pick<ApplicationClaims, 'conflicts'>;
}

function webUrlOf(repoUrl: string): string | undefined {
  try {
    return parseGithubRepositoryUrl(repoUrl).webUrl;
  } catch {
    return undefined;
  }
}

function compareStrings(a: string, b: string) {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function describeApp({ instance, app }: StoredApplication) {
  return `${app.metadata.namespace}/${app.metadata.name} (instance ${instance})`;
}

/** Two Applications of one entity land in the same cell: one is shown, the other reported. */
function ambiguousError(
  shown: StoredApplication,
  hidden: StoredApplication,
  environment: string,
  cluster: string,
): SourceError {
  return {
    source: `application:${hidden.instance}/${hidden.app.metadata.namespace}/${hidden.app.metadata.name}`,
    instance: hidden.instance,
    environment,
    cluster,
    kind: 'ambiguous',
    message: `Applications ${describeApp(shown)} and ${describeApp(
      hidden,
    )} both deploy this entity to ${environment}/${cluster}; showing ${
      shown.app.metadata.name
    }. Narrow the entity's argocd/app-selector or argocd/app-name annotation, or place one of them elsewhere.`,
  };
}

function mainSource(app: SlimApplication): SlimSource | undefined {
  return (
    app.sources.find(s => s.chart) ??
    app.sources.find(s => s.path) ??
    app.sources[0]
  );
}

/**
 * Computes the deployment state of entities from the in-memory store: placement of each of the
 * entity's Applications, live and desired versions, drift, skew and lag, plus the errors of the
 * sources that could not contribute. Serves from memory; Git reads are cached.
 */
export class GitopsStateService {
  readonly #options: GitopsStateServiceOptions;
  readonly #recent = new Map<string, { query: EntityQuery; at: number }>();
  readonly #history = new Map<
    string,
    { key: string; expiresAt: number; raw: Promise<unknown> }
  >();

  constructor(options: GitopsStateServiceOptions) {
    this.#options = options;
  }

  /** Entities whose state was asked for recently, with their queries (for signals). */
  recentEntities(
    maxAgeMs: number,
  ): Array<{ entityRef: string; query: EntityQuery }> {
    const cutoff = Date.now() - maxAgeMs;
    const recent: Array<{ entityRef: string; query: EntityQuery }> = [];
    for (const [entityRef, { query, at }] of this.#recent) {
      if (at < cutoff) this.#recent.delete(entityRef);
      else recent.push({ entityRef, query });
    }
    return recent;
  }

  async getState(entity: Entity): Promise<EntityGitopsState> {
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
      this.#recent.delete(entityRef);
      this.#recent.set(entityRef, { query, at: Date.now() });
      if (this.#recent.size > 10_000) {
        this.#recent.delete(this.#recent.keys().next().value!);
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
      const apps = found.applications.sort(
        (a, b) =>
          compareStrings(a.app.metadata.name, b.app.metadata.name) ||
          compareStrings(a.instance, b.instance) ||
          compareStrings(a.app.metadata.namespace, b.app.metadata.namespace),
      );
      const placed: Array<{
        stored: StoredApplication;
        environment: string;
        cluster: string;
      }> = [];
      for (const stored of apps) {
        const result = placeApplication(
          {
            destination: stored.app.destination,
            labels: stored.app.metadata.labels,
          },
          config.topology,
          { environmentLabel: config.environmentLabel },
        );
        if (!result.placement) {
          errors.push({
            source: `application:${stored.instance}/${stored.app.metadata.namespace}/${stored.app.metadata.name}`,
            instance: stored.instance,
            kind: 'config',
            message: `Application ${stored.app.metadata.name} cannot be placed: ${result.reason}`,
          });
          continue;
        }
        const { environment, cluster } = result.placement;
        const shown = placed.find(
          p => p.environment === environment && p.cluster === cluster,
        );
        if (shown) {
          errors.push(
            ambiguousError(shown.stored, stored, environment, cluster),
          );
          continue;
        }
        placed.push({ stored, ...result.placement });
      }
      const desired = await this.#desiredVersions(
        placed.map(p => p.stored.app),
        query.serviceNames,
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
      errors.push(...this.#sourceErrors(query.instances));
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
    return {
      entityRef,
      status: 'ok',
      environments: summarizeEnvironments(environments),
      errors,
      updatedAt: new Date(updatedAt || Date.now()).toISOString(),
    };
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
    const apps = found.applications.flatMap(stored => {
      const placement = placeApplication(
        {
          destination: stored.app.destination,
          labels: stored.app.metadata.labels,
        },
        config.topology,
        { environmentLabel: config.environmentLabel },
      ).placement;
      return placement?.environment === environment
        ? [{ stored, cluster: placement.cluster }]
        : [];
    });
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
    errors.push(...this.#sourceErrors(query.instances));
    entries.sort((a, b) =>
      (b.deployedAt ?? '').localeCompare(a.deployedAt ?? ''),
    );
    return { entityRef, environment, status: 'ok', entries, errors };
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
    const cacheKey = `${instance}/${app.metadata.namespace}/${app.metadata.name}`;
    const version = `${app.historyId}/${app.lastSyncedAt}`;
    let cached = this.#history.get(cacheKey);
    if (!cached || cached.key !== version || cached.expiresAt < Date.now()) {
      cached = {
        key: version,
        expiresAt: Date.now() + HISTORY_TTL_MS,
        raw: source.getApplication(app.metadata.namespace, app.metadata.name),
      };
      cached.raw.catch(() => this.#history.delete(cacheKey));
      this.#history.set(cacheKey, cached);
    }
    const raw = (await cached.raw) as any;
    const history: any[] = Array.isArray(raw?.status?.history)
      ? raw.status.history
      : [];
    const recent = history.slice(-HISTORY_ENTRIES - 1);
    const ref: ApplicationRef = this.#appRef(stored);
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

  #sourceErrors(instances?: string[]): SourceError[] {
    return this.#options.sources
      .filter(s => !instances || instances.includes(s.instance))
      .flatMap(s => s.status().errors);
  }

  async #desiredVersions(apps: SlimApplication[], serviceNames: string[]) {
    const { versions, gitWaitMs = 5_000 } = this.#options;
    return Promise.all(
      apps.map(async app => {
        const cached = versions.cached(app, serviceNames);
        if (cached) return { desired: cached };
        const repository = mainSource(app)?.repoURL ?? 'unknown';
        let timer: NodeJS.Timeout | undefined;
        try {
          const desired = await Promise.race([
            versions.desiredVersion(app, serviceNames),
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
          return { desired: {} as DesiredVersion, error: gitError };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  #appRef({ instance, app }: StoredApplication): ApplicationRef {
    const uiUrl = this.#options.config.instances.find(
      i => i.name === instance,
    )?.uiUrl;
    return {
      instance,
      namespace: app.metadata.namespace,
      name: app.metadata.name,
      project: app.project,
      url: uiUrl
        ? `${uiUrl.replace(/\/+$/, '')}/applications/${
            app.metadata.namespace
          }/${app.metadata.name}`
        : undefined,
    };
  }

  #cell(
    stored: StoredApplication,
    environment: string,
    cluster: string,
    query: EntityQuery,
    desired: DesiredVersion,
  ): ClusterState {
    const { app } = stored;
    const source = mainSource(app);
    const liveVersion = source?.chart
      ? source.revision ?? source.targetRevision
      : liveVersionFromImages(app.images, query.serviceNames).version;
    const web = source && !source.chart ? webUrlOf(source.repoURL) : undefined;
    const cell: ClusterState = {
      cluster,
      environment,
      application: this.#appRef(stored),
      sync: app.sync,
      health: app.health,
      liveImages: app.images,
      liveVersion,
      desiredVersion: desired.version,
      desiredSource: desired.source,
      revision: source?.revision,
      revisionUrl:
        web && source?.revision && COMMIT_SHA.test(source.revision)
          ? `${web}/commit/${source.revision}`
          : undefined,
      lastSyncedAt: app.lastSyncedAt,
      operationPhase: app.operationPhase,
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
