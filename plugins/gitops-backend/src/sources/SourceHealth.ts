import { LoggerService } from '@backstage/backend-plugin-api';
import type { SourceErrorKind } from '@backstage-gitops/plugin-gitops-common';
import { SourceStatus } from './types';
import { classifyError } from './classifyError';

/** Tracks the status of one source: ok, or the error it is in and since when. */
export class SourceHealth {
  #status: SourceStatus;

  constructor(
    instance: string,
    type: SourceStatus['type'],
    private readonly logger: LoggerService,
    private readonly onStatusChange?: () => void,
  ) {
    this.#status = { instance, type, state: 'starting', restarts: 0 };
  }

  status(): SourceStatus {
    return { ...this.#status };
  }

  touch() {
    this.#status.lastActivityAt = new Date().toISOString();
  }

  /**
   * Marks the source healthy. `unless` keeps an error of that kind: a re-list does not prove
   * that a stalled watch delivers again.
   */
  ok(options: { unless?: SourceErrorKind } = {}) {
    this.touch();
    if (options.unless && this.#status.error?.kind === options.unless) {
      return;
    }
    if (this.#status.state !== 'ok') {
      if (this.#status.state === 'error') {
        this.logger.info(`Instance ${this.#status.instance} recovered`);
      }
      this.#status = { ...this.#status, state: 'ok', error: undefined };
      this.onStatusChange?.();
    }
  }

  fail(error: unknown, target: string) {
    const { kind, message } = classifyError(error, target);
    const previous = this.#status.error;
    if (previous?.kind === kind && previous.message === message) {
      return;
    }
    this.logger.warn(`Instance ${this.#status.instance}: ${message}`);
    this.#status = {
      ...this.#status,
      state: 'error',
      error: {
        source: `instance:${this.#status.instance}`,
        instance: this.#status.instance,
        kind,
        message,
        since: previous?.since ?? new Date().toISOString(),
      },
    };
    this.onStatusChange?.();
  }

  restarted() {
    this.#status.restarts++;
  }
}

/** Exponential backoff from 1 s to 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
}
