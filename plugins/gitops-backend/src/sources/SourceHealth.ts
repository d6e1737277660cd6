import { GITOPS_CONFIG_DEFAULTS } from '@backstage-gitops/plugin-gitops-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import type {
  SourceError,
  SourceErrorKind,
} from '@backstage-gitops/plugin-gitops-common';
import { SourceStatus } from './types';
import { classifyError } from './classifyError';

/** How long a watch or stream must stay open (or deliver data) before a failing source counts as recovered. */
export const DEFAULT_WATCH_ESTABLISHED_MS =
  GITOPS_CONFIG_DEFAULTS.watchEstablishedMs;

/** The scope of a source that is not split by namespace. */
export const WHOLE_SOURCE = '*';

interface ScopeStatus {
  state: SourceStatus['state'];
  error?: SourceError;
  establishing?: NodeJS.Timeout;
}

/**
 * Tracks the status of one source: ok, or the errors it is in and since when. A source that
 * watches several namespaces has one status per namespace (its scopes); the source is in error
 * while any of them is.
 *
 * A failing scope recovers only once its watch is established: it delivered data, or stayed
 * open for `establishedMs`. A list that succeeds between two failing watches does not count,
 * so a source that cannot keep a watch open does not flip between error and ok on every retry.
 */
export class SourceHealth {
  readonly #instance: string;
  readonly #type: SourceStatus['type'];
  readonly #logger: LoggerService;
  readonly #onStatusChange?: () => void;
  readonly #establishedMs: number;
  readonly #scopes = new Map<string, ScopeStatus>();
  #restarts = 0;
  #lastActivityAt?: string;

  constructor(options: {
    instance: string;
    type: SourceStatus['type'];
    logger: LoggerService;
    onStatusChange?: () => void;
    establishedMs?: number;
  }) {
    this.#instance = options.instance;
    this.#type = options.type;
    this.#logger = options.logger;
    this.#onStatusChange = options.onStatusChange;
    this.#establishedMs = options.establishedMs ?? DEFAULT_WATCH_ESTABLISHED_MS;
  }

  /** The status of the whole source: the first failing scope's error, and all of them. */
  status(): SourceStatus {
    const scopes = [...this.#scopes.values()];
    const errors = scopes.flatMap(s => (s.error ? [s.error] : []));
    let state: SourceStatus['state'] = 'starting';
    if (errors.length) state = 'error';
    else if (scopes.length && scopes.every(s => s.state === 'ok')) state = 'ok';
    return {
      instance: this.#instance,
      type: this.#type,
      state,
      error: errors[0],
      errors,
      lastActivityAt: this.#lastActivityAt,
      restarts: this.#restarts,
    };
  }

  /** The error kind a scope is in, if any. */
  errorKind(scope = WHOLE_SOURCE): SourceErrorKind | undefined {
    return this.#scopes.get(scope)?.error?.kind;
  }

  touch() {
    this.#lastActivityAt = new Date().toISOString();
  }

  /**
   * A list succeeded. It makes a starting scope healthy, never a failing one: recovering takes
   * an established watch.
   */
  listed(scope = WHOLE_SOURCE) {
    this.touch();
    if (this.#scope(scope).state === 'starting') this.#setOk(scope);
  }

  /** The watch or stream of a scope is open; it counts as established after `establishedMs`. */
  watchOpened(scope = WHOLE_SOURCE) {
    const status = this.#scope(scope);
    clearTimeout(status.establishing);
    if (status.state === 'ok') return;
    status.establishing = setTimeout(() => {
      status.establishing = undefined;
      // an open but silent watch is what a stall looks like: only data clears that
      if (status.error?.kind !== 'stalled') this.#setOk(scope);
    }, this.#establishedMs);
    status.establishing.unref();
  }

  /** The watch or stream of a scope closed before it was established. */
  watchClosed(scope = WHOLE_SOURCE) {
    const status = this.#scope(scope);
    clearTimeout(status.establishing);
    status.establishing = undefined;
  }

  /** The watch or stream of a scope delivered data: it is established. */
  delivered(scope = WHOLE_SOURCE) {
    this.touch();
    this.watchClosed(scope);
    this.#setOk(scope);
  }

  /** Marks a scope healthy right away, e.g. after a successful poll while streaming is unavailable. */
  ok(scope = WHOLE_SOURCE) {
    this.touch();
    this.watchClosed(scope);
    this.#setOk(scope);
  }

  fail(error: unknown, target: string, scope = WHOLE_SOURCE) {
    const status = this.#scope(scope);
    clearTimeout(status.establishing);
    status.establishing = undefined;
    const { kind, message } = classifyError(error, target);
    const previous = status.error;
    if (previous?.kind === kind && previous.message === message) {
      return;
    }
    this.#logger.warn(`Instance ${this.#instance}: ${message}`);
    status.state = 'error';
    status.error = {
      source: `instance:${this.#instance}`,
      instance: this.#instance,
      kind,
      message,
      since: previous?.since ?? new Date().toISOString(),
    };
    this.#onStatusChange?.();
  }

  restarted() {
    this.#restarts++;
  }

  /** Stops the pending establish timers (the source stopped). */
  stop() {
    for (const status of this.#scopes.values()) {
      clearTimeout(status.establishing);
      status.establishing = undefined;
    }
  }

  #scope(scope: string): ScopeStatus {
    let status = this.#scopes.get(scope);
    if (!status) {
      status = { state: 'starting' };
      this.#scopes.set(scope, status);
    }
    return status;
  }

  #setOk(scope: string) {
    const status = this.#scope(scope);
    if (status.state === 'ok') return;
    if (status.state === 'error') {
      this.#logger.info(
        scope === WHOLE_SOURCE
          ? `Instance ${this.#instance} recovered`
          : `Instance ${this.#instance}, namespace ${scope} recovered`,
      );
    }
    status.state = 'ok';
    status.error = undefined;
    this.#onStatusChange?.();
  }
}

/** Exponential backoff from 1 s, doubling per attempt, capped at 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
}

/**
 * {@link backoffMs} with jitter: a random delay between half of it and all of it, so sources
 * that failed together do not retry in lockstep.
 */
export function jitteredBackoffMs(
  attempt: number,
  random: () => number = Math.random,
): number {
  return jittered(backoffMs(attempt), random);
}

/** A random delay between half of `ms` and all of it. */
export function jittered(
  ms: number,
  random: () => number = Math.random,
): number {
  return Math.round(ms / 2 + random() * (ms / 2));
}
