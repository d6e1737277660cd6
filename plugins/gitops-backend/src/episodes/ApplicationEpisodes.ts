import { hasDrift } from '@backstage-gitops/plugin-gitops-common';
import { SlimApplication } from '../sources/types';
import { ApplicationChange } from '../store/ApplicationStore';

/** An Application, by instance, namespace and name. */
export interface ApplicationKey {
  instance: string;
  namespace: string;
  name: string;
}

/** A condition an Application is in for a while: drifted (OutOfSync or drifted resources) or Degraded. */
export type EpisodeKind = 'drift' | 'degraded';

/** A sync operation that failed. */
export interface SyncFailure extends ApplicationKey {
  /** Epoch ms the failure was seen (or the operation finished, when the source says). */
  at: number;
  message: string;
}

/** What the episode listeners hear. */
export type EpisodeEvent =
  | {
      type: 'started' | 'ended';
      kind: EpisodeKind;
      key: ApplicationKey;
      since: number;
      at: number;
    }
  | { type: 'sync-failed'; failure: SyncFailure };

const DAY_MS = 24 * 60 * 60 * 1000;
const FAILED_PHASES = new Set(['Failed', 'Error']);

/**
 * Remembers, from the store's change stream, since when each Application has been drifted or
 * Degraded, and the sync operations that failed in the last 24 hours. The overview's drift age,
 * the control-plane view and notifications read it; it lives in memory, so conditions that were
 * already there when the backend started read as "since {@link ApplicationEpisodes.watchingSince}".
 */
export class ApplicationEpisodes {
  readonly watchingSince: number;
  readonly #open = new Map<string, number>();
  readonly #failures: SyncFailure[] = [];
  readonly #listeners = new Set<(event: EpisodeEvent) => void>();
  readonly #now: () => number;
  readonly #maxFailures: number;

  constructor(options?: { now?: () => number; maxFailures?: number }) {
    this.#now = options?.now ?? Date.now;
    this.#maxFailures = options?.maxFailures ?? 10_000;
    this.watchingSince = this.#now();
  }

  /** Feeds one store change (subscribe with `store.onChange(c => episodes.observe(c))`). */
  observe(change: ApplicationChange): void {
    const app = change.after ?? change.before!;
    const key: ApplicationKey = {
      instance: change.instance,
      namespace: app.metadata.namespace,
      name: app.metadata.name,
    };
    const now = this.#now();
    this.#track('drift', key, isDrifted(change.after), now);
    this.#track('degraded', key, change.after?.health === 'Degraded', now);
    const failure = newSyncFailure(change, key, now);
    if (failure) {
      this.#failures.push(failure);
      this.#prune(now);
      this.#emit({ type: 'sync-failed', failure });
    }
  }

  /** Epoch ms since when the Application has been in the condition; undefined when it is not. */
  since(kind: EpisodeKind, key: ApplicationKey): number | undefined {
    return this.#open.get(episodeKey(kind, key));
  }

  /** Sync failures seen since `sinceMs` (at most the last 24 hours are kept), oldest first. */
  syncFailures(sinceMs: number): SyncFailure[] {
    this.#prune(this.#now());
    return this.#failures.filter(f => f.at >= sinceMs);
  }

  /** Hears every episode start and end and every sync failure; returns the unsubscribe. */
  onEvent(listener: (event: EpisodeEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #track(kind: EpisodeKind, key: ApplicationKey, active: boolean, now: number) {
    const id = episodeKey(kind, key);
    const since = this.#open.get(id);
    if (active && since === undefined) {
      this.#open.set(id, now);
      this.#emit({ type: 'started', kind, key, since: now, at: now });
    } else if (!active && since !== undefined) {
      this.#open.delete(id);
      this.#emit({ type: 'ended', kind, key, since, at: now });
    }
  }

  #prune(now: number) {
    const cutoff = now - DAY_MS;
    let drop = 0;
    while (drop < this.#failures.length && this.#failures[drop].at < cutoff) {
      drop++;
    }
    drop = Math.max(drop, this.#failures.length - this.#maxFailures);
    if (drop > 0) this.#failures.splice(0, drop);
  }

  #emit(event: EpisodeEvent) {
    for (const listener of this.#listeners) listener(event);
  }
}

function episodeKey(kind: EpisodeKind, key: ApplicationKey) {
  return `${kind}\u0000${key.instance}\u0000${key.namespace}\u0000${key.name}`;
}

function isDrifted(app?: SlimApplication): boolean {
  return !!app && (app.sync === 'OutOfSync' || hasDrift(app.drift));
}

/**
 * A failed operation the previous projection did not show: a new phase or a new message (Argo CD
 * retries reuse the phase). On the first sight of an Application its failed operation counts when
 * it finished in the last 24 hours.
 */
function newSyncFailure(
  change: ApplicationChange,
  key: ApplicationKey,
  now: number,
): SyncFailure | undefined {
  const after = change.after;
  const phase = after?.operation?.phase ?? after?.operationPhase;
  if (!after || !phase || !FAILED_PHASES.has(phase)) return undefined;
  const message = after.operation?.message ?? `sync ${phase.toLowerCase()}`;
  const before = change.before;
  if (before) {
    const beforePhase = before.operation?.phase ?? before.operationPhase;
    const unchanged =
      beforePhase === phase &&
      before.operation?.message === after.operation?.message &&
      before.lastSyncedAt === after.lastSyncedAt;
    if (unchanged) return undefined;
    return { ...key, at: now, message };
  }
  const finished = after.lastSyncedAt ? Date.parse(after.lastSyncedAt) : NaN;
  if (Number.isNaN(finished) || finished < now - DAY_MS) return undefined;
  return { ...key, at: Math.min(finished, now), message };
}
