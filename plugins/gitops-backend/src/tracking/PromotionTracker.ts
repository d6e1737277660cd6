import { LoggerService } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  EntityGitopsState,
  PromotionRecord,
  PromotionStage,
  TrackedPromotion,
} from '@backstage-gitops/plugin-gitops-common';
import { PromotionConfig } from '@backstage-gitops/plugin-gitops-node';
import { PromotionAuditStore } from '../audit/PromotionAuditStore';
import {
  EntityQuery,
  matchesQuery,
  readEntityQuery,
} from '../entities/entityQuery';
import { ApplicationChange, ApplicationStore } from '../store/ApplicationStore';
import { deliveryProgress } from './deliveryProgress';
import { leadTimes, trackedPromotionOf } from './trackedPromotionOf';
import { PullRequestRead, PullRequestReader } from './PullRequestReader';

/** At most this many attempts are loaded from the audit at start. */
const MAX_LOADED = 1_000;
const FINISHED: PromotionStage[] = ['deployed', 'failed', 'closed'];

/** Hears a tracked promotion that changed; `previous` is its stage before the change. */
export type TrackedPromotionListener = (
  promotion: TrackedPromotion,
  previous: PromotionStage | undefined,
) => void;

/** Options of {@link PromotionTracker}. */
export interface PromotionTrackerOptions {
  audit: Pick<
    PromotionAuditStore,
    'tracked' | 'recordDelivery' | 'updatePullRequestStates'
  >;
  reader: PullRequestReader;
  /** Where the targets' versions, sync and health come from (the state the backend watches). */
  state: { getState(entity: Entity): Promise<EntityGitopsState> };
  store: Pick<ApplicationStore, 'onChange'>;
  /** The entity of a promotion loaded from the audit at start (read with the plugin's credentials). */
  loadEntity(entityRef: string): Promise<Entity | undefined>;
  config: Pick<PromotionConfig, 'tracking'>;
  /** Names of the configured instances, to read the entities' queries. */
  instances: string[];
  logger: LoggerService;
  /** Changes of Applications are gathered this long before the targets are evaluated. */
  debounceMs?: number;
  clock?: () => Date;
}

interface Entry {
  promotion: TrackedPromotion;
  entity?: Entity;
  query?: EntityQuery;
  /** Epoch ms of the last GitHub read, for the order of the bounded polls. */
  readAt: number;
  finishedAt?: number;
}

/**
 * Follows every opened promotion from its pull request to deployed, in memory. Open pull requests
 * are read from GitHub through the {@link PullRequestReader} (each poll reads at most
 * `maxReadsPerPoll`, the least recently read first); once merged, the stage comes from the state
 * of the entity's Applications, evaluated again when they change: `syncing` until every target of
 * the pull request's wave runs the version Synced and Healthy (`deployed`), or `failed` when a
 * target turns Degraded or its sync fails after the merge. Merge, deploy and outcome are written
 * to the audit. Finished promotions stay visible for `keepFinishedMs`.
 */
export class PromotionTracker {
  readonly #options: PromotionTrackerOptions;
  readonly #clock: () => Date;
  readonly #entries = new Map<string, Entry>();
  readonly #listeners = new Set<TrackedPromotionListener>();
  readonly #dirty = new Set<string>();
  #timer?: NodeJS.Timeout;
  #debounce?: NodeJS.Timeout;
  #unsubscribe: Array<() => void> = [];

  constructor(options: PromotionTrackerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? (() => new Date());
    this.#unsubscribe.push(options.reader.onRead(read => this.#apply(read)));
  }

  /** Loads the unfinished promotions of the audit, then polls and follows the store. */
  async start(): Promise<void> {
    const { audit, config, loadEntity, logger, store } = this.#options;
    this.#unsubscribe.push(
      store.onChange(change => this.#onStoreChange(change)),
    );
    const records = await audit.tracked({
      finishedSince: new Date(
        this.#clock().getTime() - config.tracking.keepFinishedMs,
      ),
      limit: MAX_LOADED,
    });
    const entities = new Map<string, Promise<Entity | undefined>>();
    for (const record of records) {
      if (!entities.has(record.entityRef)) {
        entities.set(
          record.entityRef,
          loadEntity(record.entityRef).catch(error => {
            logger.warn(
              `Promotion tracking: could not load ${record.entityRef}: ${error}`,
            );
            return undefined;
          }),
        );
      }
      this.track(record, await entities.get(record.entityRef));
    }
    this.#timer = setInterval(
      () =>
        this.poll().catch(error =>
          logger.warn(`Promotion tracking: poll failed: ${error}`),
        ),
      config.tracking.pollIntervalMs,
    );
    this.#timer.unref();
    await this.poll();
  }

  stop() {
    clearInterval(this.#timer);
    clearTimeout(this.#debounce);
    this.#unsubscribe.forEach(unsubscribe => unsubscribe());
    this.#unsubscribe = [];
  }

  /** Follows the pull requests an attempt opened or updated (or, loaded from the audit, merged). */
  track(record: PromotionRecord, entity?: Entity) {
    if (record.dryRun || !record.version) return;
    const query = entity
      ? readEntityQuery(entity, this.#options.instances).query
      : undefined;
    for (const pull of record.pullRequests) {
      const promotion = trackedPromotionOf(record, pull);
      if (!promotion) continue;
      const known = this.#entries.get(pull.url);
      if (known && known.promotion.openedAt > promotion.openedAt) continue;
      this.#entries.set(pull.url, {
        promotion,
        entity,
        query,
        readAt: 0,
        finishedAt: FINISHED.includes(promotion.stage)
          ? Date.parse(
              promotion.deployedAt ?? promotion.failedAt ?? record.createdAt,
            )
          : undefined,
      });
      this.#emit(promotion, known?.promotion.stage);
    }
  }

  /** The tracked promotions of an entity, newest first (from memory). */
  forEntity(entityRef: string): TrackedPromotion[] {
    this.#forgetFinished();
    return [...this.#entries.values()]
      .map(entry => entry.promotion)
      .filter(promotion => promotion.entityRef === entityRef)
      .sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  }

  /** Hears every change of a tracked promotion (stage, checks, targets, errors); returns the unsubscribe. */
  onChange(listener: TrackedPromotionListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * One poll: reads the open pull requests from GitHub (at most `maxReadsPerPoll`, the least
   * recently read first) and evaluates the merged ones against the state.
   */
  async poll(): Promise<void> {
    this.#forgetFinished();
    const open = [...this.#entries.values()]
      .filter(entry => entry.promotion.stage === 'open')
      .sort((a, b) => a.readAt - b.readAt)
      .map(entry => entry.promotion.pullRequest);
    if (open.length > 0) await this.#options.reader.read(open);
    await this.evaluate();
  }

  /**
   * Reads one tracked pull request from GitHub now, past the cache (e.g. on a webhook that says it
   * changed); returns false when it is not tracked or no longer open.
   */
  async refresh(pullRequestUrl: string): Promise<boolean> {
    const entry = this.#entries.get(pullRequestUrl);
    if (entry?.promotion.stage !== 'open') return false;
    await this.#options.reader.read([entry.promotion.pullRequest], {
      fresh: true,
    });
    await this.evaluate(entry.promotion.entityRef);
    return true;
  }

  /** Evaluates the merged promotions (of one entity, or all) against the entity's state. */
  async evaluate(entityRef?: string): Promise<void> {
    const syncing = [...this.#entries.values()].filter(
      entry =>
        entry.promotion.stage === 'syncing' &&
        (!entityRef || entry.promotion.entityRef === entityRef),
    );
    for (const entry of syncing) {
      await this.#evaluate(entry).catch(error =>
        this.#options.logger.warn(
          `Promotion tracking: could not evaluate ${entry.promotion.pullRequest.url}: ${error}`,
        ),
      );
    }
  }

  #apply(read: PullRequestRead) {
    const entry = this.#entries.get(read.url);
    if (!entry || entry.promotion.stage !== 'open') return;
    const before = entry.promotion;
    const now = this.#clock();
    entry.readAt = now.getTime();
    if (read.error) {
      this.#update(entry, { ...before, error: read.error });
      return;
    }
    const { status } = read;
    const next: TrackedPromotion = { ...before, error: undefined };
    if (status.state === 'open') {
      Object.assign(next, {
        checks: status.checks,
        mergeable: status.mergeable,
        mergeableState: status.mergeableState,
      });
      this.#update(entry, next);
      return;
    }
    next.checks = undefined;
    next.mergeable = undefined;
    next.mergeableState = undefined;
    if (status.state === 'merged') {
      next.stage = 'syncing';
      next.mergedAt = status.mergedAt ?? now.toISOString();
      next.leadTimes = leadTimes(next);
      this.#update(entry, next);
      this.#record(entry, 'merged', { mergedAt: next.mergedAt });
      this.#schedule(next.entityRef);
    } else {
      next.stage = 'closed';
      entry.finishedAt = now.getTime();
      this.#update(entry, next);
      this.#record(entry, 'closed', { outcome: 'closed' });
    }
  }

  async #evaluate(entry: Entry) {
    const { promotion } = entry;
    if (!entry.entity || !promotion.mergedAt) return;
    const state = await this.#options.state.getState(entry.entity);
    if (entry.promotion !== promotion || promotion.stage !== 'syncing') return;
    const environment = state.environments.find(e => e.name === promotion.to);
    const progress = deliveryProgress({
      version: promotion.version,
      clusters: promotion.targets.map(t => t.cluster),
      cells: environment?.clusters ?? [],
      mergedAt: promotion.mergedAt,
    });
    const now = this.#clock().toISOString();
    const next: TrackedPromotion = { ...promotion, targets: progress.targets };
    if (progress.failure) {
      next.stage = 'failed';
      next.failedAt = now;
      next.failure = `${progress.failure.cluster}: ${progress.failure.message}`;
      entry.finishedAt = Date.parse(now);
      this.#record(entry, undefined, {
        outcome: 'failed',
        failedAt: now,
        failure: next.failure,
      });
    } else if (progress.deployed) {
      next.stage = 'deployed';
      next.deployedAt = now;
      next.leadTimes = leadTimes(next);
      entry.finishedAt = Date.parse(now);
      this.#record(entry, undefined, { outcome: 'deployed', deployedAt: now });
    }
    this.#update(entry, next);
  }

  #update(entry: Entry, next: TrackedPromotion) {
    const before = entry.promotion;
    entry.promotion = next;
    if (JSON.stringify(before) !== JSON.stringify(next)) {
      this.#emit(next, before.stage);
    }
  }

  #emit(promotion: TrackedPromotion, previous: PromotionStage | undefined) {
    for (const listener of this.#listeners) {
      try {
        listener(promotion, previous);
      } catch (error) {
        this.#options.logger.warn(
          `Promotion tracking: a listener failed: ${error}`,
        );
      }
    }
  }

  /** Writes what became of the pull request to the audit; a failed write is logged. */
  #record(
    entry: Entry,
    pullState: 'merged' | 'closed' | undefined,
    delivery: Parameters<PromotionAuditStore['recordDelivery']>[1],
  ) {
    const { audit, logger } = this.#options;
    const { id, entityRef, pullRequest } = entry.promotion;
    Promise.all([
      audit.recordDelivery(id, delivery),
      pullState &&
        audit.updatePullRequestStates(
          entityRef,
          new Map([[pullRequest.url, pullState]]),
        ),
    ]).catch(error =>
      logger.warn(
        `Promotion tracking: could not record the delivery of ${pullRequest.url}: ${error}`,
      ),
    );
  }

  #onStoreChange(change: ApplicationChange) {
    for (const entry of this.#entries.values()) {
      if (entry.promotion.stage !== 'syncing' || !entry.query) continue;
      const affected = [change.before, change.after].some(
        app =>
          app &&
          matchesQuery(entry.query!, change.instance, {
            name: app.metadata.name,
            namespace: app.metadata.namespace,
            labels: app.metadata.labels,
            project: app.project,
          }),
      );
      if (affected) this.#schedule(entry.promotion.entityRef);
    }
  }

  #schedule(entityRef: string) {
    this.#dirty.add(entityRef);
    if (this.#debounce) return;
    this.#debounce = setTimeout(() => {
      this.#debounce = undefined;
      const refs = [...this.#dirty];
      this.#dirty.clear();
      refs.forEach(ref => this.evaluate(ref));
    }, this.#options.debounceMs ?? 500);
    this.#debounce.unref();
  }

  #forgetFinished() {
    const cutoff =
      this.#clock().getTime() - this.#options.config.tracking.keepFinishedMs;
    for (const [url, entry] of this.#entries) {
      if (entry.finishedAt !== undefined && entry.finishedAt < cutoff) {
        this.#entries.delete(url);
      }
    }
  }
}
