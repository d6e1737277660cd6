import { EventEmitter } from 'node:events';

/** How a target that is "down" refuses traffic. */
export type DownMode = 'refuse' | 'reset';

/** Fault settings of one target (a Kubernetes API server, an Argo CD instance or `github`). */
export interface TargetFaults {
  /** Extra latency added before every response, in milliseconds. */
  latencyMs: number;
  /** When set, the listener is closed ('refuse') or every connection is destroyed ('reset'). */
  down: DownMode | null;
  /** When set, requests are answered with this 5xx status. */
  serverError: number | null;
  /** Number of requests still to fail with `serverError`; null means all of them. */
  serverErrorCount: number | null;
  /** Valid tokens are rejected with 401, as after a token expiry. */
  tokenExpired: boolean;
  /** Valid tokens are refused with 403, as after their RBAC permissions were revoked. */
  forbidden: boolean;
  /** Watches (and Argo CD streams) stay open but never send anything. */
  stallWatches: boolean;
  /** The next N watches fail with 410 Gone. */
  forceGone: number;
}

export const defaultFaults = (): TargetFaults => ({
  latencyMs: 0,
  down: null,
  serverError: null,
  serverErrorCount: null,
  tokenExpired: false,
  forbidden: false,
  stallWatches: false,
  forceGone: 0,
});

/**
 * Registry of faults per target. Servers read it on every request and listen to
 * `change` events to react to `down` and to `stallWatches`.
 */
export class Faults extends EventEmitter {
  private readonly targets = new Map<string, TargetFaults>();

  constructor() {
    super();
    // every server of every generated cluster listens: 20 clusters are not a leak
    this.setMaxListeners(0);
  }

  get(target: string): TargetFaults {
    let faults = this.targets.get(target);
    if (!faults) {
      faults = defaultFaults();
      this.targets.set(target, faults);
    }
    return faults;
  }

  set(target: string, patch: Partial<TargetFaults>): TargetFaults {
    const faults = this.get(target);
    Object.assign(faults, patch);
    this.emit('change', target, faults);
    return faults;
  }

  /** Clears the faults of one target, or of all targets. */
  reset(target?: string): void {
    const names = target ? [target] : [...this.targets.keys()];
    for (const name of names) {
      this.targets.set(name, defaultFaults());
      this.emit('change', name, this.get(name));
    }
  }

  list(): Record<string, TargetFaults> {
    return Object.fromEntries(this.targets);
  }

  /** Consumes one forced-410 if armed. */
  takeForcedGone(target: string): boolean {
    const faults = this.get(target);
    if (faults.forceGone > 0) {
      faults.forceGone -= 1;
      return true;
    }
    return false;
  }

  /** Returns the 5xx status to answer with, consuming one from the count. */
  takeServerError(target: string): number | null {
    const faults = this.get(target);
    if (faults.serverError === null) return null;
    if (faults.serverErrorCount !== null) {
      if (faults.serverErrorCount <= 0) return null;
      faults.serverErrorCount -= 1;
    }
    return faults.serverError;
  }
}
