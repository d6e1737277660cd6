import { Entity } from '@backstage/catalog-model';
import {
  ClusterState,
  countReadiness,
  EntityGitopsState,
  EnvironmentHistory,
  EnvironmentReadiness,
  READINESS_CHECKS,
  ReadinessCheck,
  ReadinessCheckId,
  ReadinessInput,
} from '@backstage-gitops/plugin-gitops-common';
import {
  expectedSyncPolicy,
  GitopsConfig,
  MergedHelmValues,
  readinessSeverity,
} from '@backstage-gitops/plugin-gitops-node';
import { boundedCache } from '../cache/boundedCache';
import { ApplicationSource, SlimApplication } from '../sources/types';
import { mainSource } from '../state/applicationLinks';
import { ApplicationStore } from '../store/ApplicationStore';
import { applicationChecks } from './applicationChecks';
import { historyChecks } from './historyChecks';
import { manifestChecks } from './manifestChecks';
import { allUnknown, CheckOutcome } from './outcome';
import { valuesChecks } from './valuesChecks';

/** Rendered-manifest outcomes kept, per Application and revision. */
const MANIFEST_CACHE_ENTRIES = 1000;
/** A failed or unanswered read is asked again after this long. */
const FAILED_READ_TTL_MS = 30_000;

const idsOf = (input: ReadinessInput) =>
  READINESS_CHECKS.filter(c => c.input === input).map(c => c.id);

/** Options of one {@link ReadinessService.readiness} call. */
export interface ReadinessRequestOptions {
  /**
   * How long to wait for uncached reads; 0 answers from the caches at once and lets the reads
   * fill them in the background. Defaults to the service's `waitMs`.
   */
  waitMs?: number;
}

/** Options of {@link ReadinessService}. */
export interface ReadinessServiceOptions {
  config: GitopsConfig;
  store: Pick<ApplicationStore, 'get'>;
  /** The instances' sources; those with `getManifests` give the rendered manifests. */
  sources: Pick<ApplicationSource, 'instance' | 'getManifests'>[];
  /** The Git reader of the desired versions, whose caches the values are read through. */
  versions: {
    helmValues(app: SlimApplication): Promise<MergedHelmValues | undefined>;
  };
  /** The history of an environment, as the history API answers it. */
  history: {
    getHistory(
      entity: Entity,
      environment: string,
    ): Promise<EnvironmentHistory>;
  };
  /** Bound on the reads of one request; a slower read answers `unknown` and fills its cache. */
  waitMs?: number;
  clock?: () => number;
}

/**
 * Computes the readiness checks of an entity per environment from what the state already
 * placed: each cell's Application spec (from the store), its Helm values (through the Git
 * reader's caches), the manifests its Argo CD instance renders (cached per revision) and the
 * environment's history. Checks per cluster are folded into one per environment: the worst
 * result wins, and the reason names the cluster when there are several.
 */
export class ReadinessService {
  readonly #options: ReadinessServiceOptions;
  readonly #manifests;

  constructor(options: ReadinessServiceOptions) {
    this.#options = options;
    this.#manifests = boundedCache<string, Promise<CheckOutcome[]>>({
      maxEntries: MANIFEST_CACHE_ENTRIES,
      ttlMs: options.config.cache.git.ttlMs,
      clock: options.clock,
    });
  }

  /** The readiness of every environment of a computed state; undefined when readiness is off. */
  async readiness(
    entity: Entity,
    state: EntityGitopsState,
    options: ReadinessRequestOptions = {},
  ): Promise<EnvironmentReadiness[] | undefined> {
    const { config } = this.#options;
    const waitMs = options.waitMs ?? this.#options.waitMs ?? 5_000;
    if (!config.readiness.enabled || state.status !== 'ok') return undefined;
    return Promise.all(
      state.environments.map(async environment => {
        const cells = environment.clusters.filter(c => c.application);
        if (!cells.length) {
          return {
            environment: environment.name,
            checks: [],
            reason: 'no Application of this service lands in this environment',
            counts: countReadiness([]),
          };
        }
        const history = this.#applies('rollback', environment.name)
          ? this.#history(entity, environment.name, waitMs)
          : undefined;
        const perCell = await Promise.all(
          cells.map(async cell => ({
            cluster: cell.cluster,
            outcomes: await this.#cellOutcomes(cell, history, waitMs),
          })),
        );
        const checks = this.#fold(environment.name, perCell);
        return {
          environment: environment.name,
          checks,
          counts: countReadiness(checks),
        };
      }),
    );
  }

  #applies(id: ReadinessCheckId, environment: string) {
    return (
      readinessSeverity(this.#options.config.readiness, id, environment) !==
      'off'
    );
  }

  async #cellOutcomes(
    cell: ClusterState,
    history: Promise<EnvironmentHistory | string> | undefined,
    waitMs: number,
  ): Promise<CheckOutcome[]> {
    const ref = cell.application!;
    const app = this.#options.store.get(ref.instance, ref.namespace, ref.name);
    if (!app) {
      return READINESS_CHECKS.map(c => ({
        id: c.id,
        result: 'unknown',
        reason: `Application ${ref.name} is no longer in the store`,
      }));
    }
    const [values, manifests, past] = await Promise.all([
      this.#values(app, waitMs),
      this.#rendered(ref.instance, app, waitMs),
      history,
    ]);
    const outcomes = [
      ...applicationChecks(
        app,
        expectedSyncPolicy(this.#options.config, cell.environment),
      ),
      ...values,
      ...manifests,
    ];
    if (past !== undefined) {
      outcomes.push(
        ...(typeof past === 'string'
          ? allUnknown(['rollback'], past)
          : historyChecks(cell, past)),
      );
    }
    return outcomes;
  }

  async #values(app: SlimApplication, waitMs: number): Promise<CheckOutcome[]> {
    const ids = idsOf('values');
    const merged = await this.#withinWait(
      () => this.#options.versions.helmValues(app),
      waitMs,
    );
    if (typeof merged === 'string') return allUnknown(ids, merged);
    if (!merged) {
      return allUnknown(
        ids,
        `${app.metadata.name} is not rendered by Helm (${
          mainSource(app)?.sourceType ?? 'source type unknown'
        }), so there are no values to read; the rendered-manifest checks cover it where the instance offers them`,
      );
    }
    return valuesChecks(merged, { tagKey: this.#options.config.helmValuesKey });
  }

  #rendered(
    instance: string,
    app: SlimApplication,
    waitMs: number,
  ): Promise<CheckOutcome[]> {
    const ids = idsOf('manifests');
    const source = this.#options.sources.find(s => s.instance === instance);
    if (!source?.getManifests) {
      return Promise.resolve(
        allUnknown(
          ids,
          `instance ${instance} is read through Kubernetes, which does not render manifests; configure it as type argocd (url and token) to check them`,
        ),
      );
    }
    const revision = mainSource(app)?.revision;
    const { namespace, name } = app.metadata;
    const key = `${instance}/${namespace}/${name}@${revision ?? ''}`;
    let pending = this.#manifests.cache.get(key);
    if (!pending) {
      pending = source
        .getManifests(namespace, name, revision)
        .then(manifestChecks)
        .catch(error => {
          this.#manifests.cache.set(key, pending!, { ttl: FAILED_READ_TTL_MS });
          return allUnknown(
            ids,
            `the rendered manifests could not be read from instance ${instance}: ${
              (error as Error).message
            }`,
          );
        });
      this.#manifests.cache.set(key, pending);
    }
    return this.#withinWait(() => pending!, waitMs).then(r =>
      typeof r === 'string' ? allUnknown(ids, r) : r,
    );
  }

  #history(
    entity: Entity,
    environment: string,
    waitMs: number,
  ): Promise<EnvironmentHistory | string> {
    return this.#withinWait(
      () => this.#options.history.getHistory(entity, environment),
      waitMs,
    );
  }

  /** The read's answer, or why there is none yet (a string) when it takes longer than the wait. */
  async #withinWait<T>(
    read: () => Promise<T>,
    waitMs: number,
  ): Promise<T | string> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        read(),
        new Promise<string>(resolve => {
          timer = setTimeout(
            () =>
              resolve(
                waitMs
                  ? `still reading after ${waitMs} ms; the result appears once the read completes`
                  : 'being read; the result appears with the next update of the state',
              ),
            waitMs,
          );
        }),
      ]);
    } catch (error) {
      return `could not be read: ${(error as Error).message}`;
    } finally {
      clearTimeout(timer);
    }
  }

  /** One check per id over the clusters of an environment: the worst result wins. */
  #fold(
    environment: string,
    perCell: Array<{ cluster: string; outcomes: CheckOutcome[] }>,
  ): ReadinessCheck[] {
    const checks: ReadinessCheck[] = [];
    for (const definition of READINESS_CHECKS) {
      const severity = readinessSeverity(
        this.#options.config.readiness,
        definition.id,
        environment,
      );
      if (severity === 'off') continue;
      const found = perCell.flatMap(({ cluster, outcomes }) =>
        outcomes
          .filter(o => o.id === definition.id)
          .map(o => ({ ...o, cluster })),
      );
      if (!found.length) continue;
      const result = (['fail', 'unknown', 'pass'] as const).find(r =>
        found.some(o => o.result === r),
      )!;
      const worst = found.filter(o => o.result === result);
      const reasons = [...new Set(worst.map(o => o.reason))];
      const reason =
        perCell.length > 1 &&
        (reasons.length > 1 || worst.length < perCell.length)
          ? worst.map(o => `${o.cluster}: ${o.reason}`).join('; ')
          : reasons.join('; ');
      checks.push({
        id: definition.id,
        title: definition.title,
        result,
        reason,
        severity,
        howToFix: definition.howToFix,
      });
    }
    return checks;
  }
}
