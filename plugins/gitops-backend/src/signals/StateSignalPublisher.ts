import { LoggerService } from '@backstage/backend-plugin-api';
import {
  gitopsStateChannel,
  GitopsStateSignal,
} from '@backstage-gitops/plugin-gitops-common';
import { SignalsService } from '@backstage/plugin-signals-node';
import { matchesQuery, readsFromInstance } from '../entities/entityQuery';
import { GitopsStateService } from '../state/GitopsStateService';
import { ApplicationChange, ApplicationStore } from '../store/ApplicationStore';
import { SlimApplication } from '../sources/types';

/** Entities asked for within this window get signals; others fetch fresh state when opened. */
const RECENT_WINDOW_MS = 60 * 60 * 1000;

/**
 * Publishes a signal on `gitopsStateChannel(entityRef)` when the state of an entity changes, so
 * open tabs refresh. Only entities whose state was requested in the last hour are considered
 * (an open tab requested it), which keeps the matching cheap: one query check per recent
 * entity per Application change, debounced.
 */
export class StateSignalPublisher {
  readonly #dirty = new Set<string>();
  #timer?: NodeJS.Timeout;
  #unsubscribe?: () => void;

  constructor(
    private readonly options: {
      store: ApplicationStore;
      state: GitopsStateService;
      signals: SignalsService;
      logger: LoggerService;
      debounceMs: number;
    },
  ) {}

  start() {
    this.#unsubscribe = this.options.store.onChange(change =>
      this.#onChange(change),
    );
  }

  stop() {
    this.#unsubscribe?.();
    clearTimeout(this.#timer);
  }

  /** Marks every recent entity reading from an instance as changed (its status changed). */
  instanceChanged(instance: string) {
    for (const { entityRef, query } of this.options.state.recentEntities(
      RECENT_WINDOW_MS,
    )) {
      if (readsFromInstance(query, instance)) this.#markDirty(entityRef);
    }
  }

  /** Marks one entity as changed, e.g. when a promotion into it moved to another stage. */
  entityChanged(entityRef: string) {
    this.#markDirty(entityRef);
  }

  #onChange(change: ApplicationChange) {
    const apps = [change.before, change.after].filter(
      (a): a is SlimApplication => !!a,
    );
    for (const { entityRef, query } of this.options.state.recentEntities(
      RECENT_WINDOW_MS,
    )) {
      const affected = apps.some(app =>
        matchesQuery(query, change.instance, {
          name: app.metadata.name,
          namespace: app.metadata.namespace,
          labels: app.metadata.labels,
          project: app.project,
        }),
      );
      if (affected) this.#markDirty(entityRef);
    }
  }

  #markDirty(entityRef: string) {
    this.#dirty.add(entityRef);
    if (!this.#timer) {
      this.#timer = setTimeout(() => this.#flush(), this.options.debounceMs);
      this.#timer.unref();
    }
  }

  async #flush() {
    this.#timer = undefined;
    const refs = [...this.#dirty];
    this.#dirty.clear();
    const updatedAt = new Date().toISOString();
    await Promise.all(
      refs.map(entityRef =>
        this.options.signals
          .publish<GitopsStateSignal & Record<string, string>>({
            recipients: { type: 'broadcast' },
            channel: gitopsStateChannel(entityRef),
            message: { entityRef, updatedAt },
          })
          .catch(error =>
            this.options.logger.warn(
              `Could not publish the state signal of ${entityRef}: ${error}`,
            ),
          ),
      ),
    );
  }
}
