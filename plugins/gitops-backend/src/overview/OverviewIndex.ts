import { LoggerService } from '@backstage/backend-plugin-api';
import { SourceError } from '@backstage-gitops/plugin-gitops-common';
import pLimit from 'p-limit';
import { ApplicationClaims, Claimant } from '../entities/ApplicationClaims';
import { ApplicationEpisodes } from '../episodes/ApplicationEpisodes';
import { GitopsStateService } from '../state/GitopsStateService';
import { ApplicationChange, ApplicationStore } from '../store/ApplicationStore';
import { buildOverviewRow, IndexedRow } from './overviewRow';
import { QueryIndex } from './queryIndex';

/** How soon the entities are read again while the catalog has none. */
const EMPTY_RETRY_MS = 5_000;
/** Options of {@link OverviewIndex}. */
export interface OverviewIndexOptions {
  /** The catalog's GitOps entities, as ApplicationClaims reads them. */
  claims: Pick<ApplicationClaims, 'entities'>;
  state: Pick<GitopsStateService, 'getState'>;
  store: Pick<ApplicationStore, 'onChange'>;
  episodes: Pick<ApplicationEpisodes, 'since'>;
  logger: LoggerService;
  /** How often the entities are read again (`gitops.overview.refresh`). */
  refreshMs: number;
  /** Changes within this time recompute an entity once. Defaults to 250 ms. */
  debounceMs?: number;
  /** Rows recomputed at once. Defaults to 8. */
  concurrency?: number;
}

/**
 * One overview row per GitOps entity of the catalog, in memory. Rows are built from
 * `GitopsStateService.getState`; an Application change recomputes the rows of the entities whose
 * query matches it (found through a {@link QueryIndex}), debounced and with bounded concurrency.
 * The entities are read again every `refreshMs`.
 */
export class OverviewIndex {
  readonly #options: OverviewIndexOptions;
  readonly #rows = new Map<string, IndexedRow>();
  readonly #claimants = new Map<string, Claimant>();
  readonly #queries = new QueryIndex();
  readonly #pending = new Set<string>();
  readonly #limit;
  #errors: SourceError[] = [];
  #version = 0;
  #timer?: NodeJS.Timeout;
  #debounce?: NodeJS.Timeout;
  #emptyRetry?: NodeJS.Timeout;
  #flushing: Promise<void> = Promise.resolve();
  #unsubscribe?: () => void;
  #started?: Promise<void>;

  constructor(options: OverviewIndexOptions) {
    this.#options = options;
    this.#limit = pLimit(options.concurrency ?? 8);
  }

  /** Reads the entities and builds every row; resolves once the rows are built. */
  start(): Promise<void> {
    if (!this.#started) {
      this.#unsubscribe = this.#options.store.onChange(change =>
        this.#changed(change),
      );
      this.#started = this.refresh();
      this.#timer = setInterval(
        () =>
          this.refresh().catch(error =>
            this.#options.logger.warn(
              `GitOps overview: could not read the catalog's entities: ${error}`,
            ),
          ),
        this.#options.refreshMs,
      );
      this.#timer.unref?.();
    }
    return this.#started;
  }

  stop(): void {
    this.#unsubscribe?.();
    clearInterval(this.#timer);
    clearTimeout(this.#debounce);
    clearTimeout(this.#emptyRetry);
  }

  /** Every row, in no particular order. */
  rows(): IterableIterator<IndexedRow> {
    return this.#rows.values();
  }

  size(): number {
    return this.#rows.size;
  }

  /** Increases whenever a row changes, for caches of sorted rows. */
  version(): number {
    return this.#version;
  }

  /** Why some entities may be missing (catalog unreadable, too many entities). */
  errors(): SourceError[] {
    return this.#errors;
  }

  /** Resolves once the recomputations asked for so far are done (tests, benchmarks). */
  async settled(): Promise<void> {
    if (this.#debounce) {
      clearTimeout(this.#debounce);
      this.#debounce = undefined;
      this.#flush();
    }
    await this.#flushing;
  }

  /** Reads the entities again: builds new and changed ones, drops removed ones. */
  async refresh(): Promise<void> {
    let loaded: Awaited<ReturnType<ApplicationClaims['entities']>>;
    try {
      loaded = await this.#options.claims.entities();
    } catch (error) {
      this.#errors = [
        {
          source: 'catalog',
          kind: 'unknown',
          message: `Could not read the catalog's GitOps entities; the overview shows them as last read: ${error}`,
        },
      ];
      throw error;
    }
    this.#errors =
      loaded.truncated > 0
        ? [
            {
              source: 'catalog',
              kind: 'unknown',
              message: `${loaded.truncated} GitOps entities of the catalog are left out of the overview (at most ${loaded.claimants.length} are read)`,
            },
          ]
        : [];
    const seen = new Set<string>();
    const changed: string[] = [];
    for (const claimant of loaded.claimants) {
      seen.add(claimant.entityRef);
      const before = this.#claimants.get(claimant.entityRef);
      if (before && sameEntity(before, claimant)) {
        // built from memory only, a row takes desired versions from the Git caches, which fill as
        // tabs and promotions read them: each refresh builds it again to pick them up
        changed.push(claimant.entityRef);
        continue;
      }
      this.#claimants.set(claimant.entityRef, claimant);
      this.#queries.set(claimant.entityRef, claimant.query);
      changed.push(claimant.entityRef);
    }
    for (const entityRef of [...this.#claimants.keys()]) {
      if (seen.has(entityRef)) continue;
      this.#claimants.delete(entityRef);
      this.#queries.delete(entityRef);
      this.#rows.delete(entityRef);
      this.#version++;
    }
    await Promise.all(changed.map(ref => this.#limit(() => this.#build(ref))));
    // at start the catalog may not have ingested its entities yet: ask again soon, not in minutes
    if (loaded.claimants.length === 0 && this.#timer && !this.#emptyRetry) {
      this.#emptyRetry = setTimeout(() => {
        this.#emptyRetry = undefined;
        this.refresh().catch(() => {});
      }, EMPTY_RETRY_MS);
      this.#emptyRetry.unref?.();
    }
  }

  #changed(change: ApplicationChange) {
    for (const app of [change.before, change.after]) {
      if (!app) continue;
      for (const entityRef of this.#queries.matching(change.instance, app)) {
        this.#pending.add(entityRef);
      }
    }
    if (this.#pending.size > 0 && !this.#debounce) {
      this.#debounce = setTimeout(() => {
        this.#debounce = undefined;
        this.#flush();
      }, this.#options.debounceMs ?? 250);
    }
  }

  #flush() {
    const refs = [...this.#pending];
    this.#pending.clear();
    const previous = this.#flushing;
    this.#flushing = previous.then(() =>
      Promise.all(refs.map(ref => this.#limit(() => this.#build(ref)))).then(
        () => undefined,
      ),
    );
  }

  async #build(entityRef: string) {
    const claimant = this.#claimants.get(entityRef);
    if (!claimant) return;
    try {
      const state = await this.#options.state.getState(claimant.entity, {
        remember: false,
        readGit: false,
      });
      if (this.#claimants.get(entityRef) !== claimant) return;
      this.#rows.set(
        entityRef,
        buildOverviewRow({
          entity: claimant.entity,
          entityRef,
          owner: claimant.owner,
          state,
          episodes: this.#options.episodes,
        }),
      );
      this.#version++;
    } catch (error) {
      this.#options.logger.warn(
        `GitOps overview: could not compute the row of ${entityRef}: ${error}`,
      );
    }
  }
}

function sameEntity(a: Claimant, b: Claimant): boolean {
  return JSON.stringify(a.entity) === JSON.stringify(b.entity);
}
