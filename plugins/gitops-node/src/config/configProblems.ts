import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

/**
 * Collects what is wrong with the `gitops` configuration, so one start-up error lists every
 * offending key with what to write instead of stopping at the first.
 */
export class ConfigProblems {
  readonly #problems: string[] = [];

  add(key: string, message: string): void {
    this.#problems.push(`${key}: ${message}`);
  }

  /** Runs a read; a type error from the config reader (which names the key) is collected. */
  read<T>(fn: () => T): T | undefined {
    try {
      return fn();
    } catch (error) {
      this.#problems.push((error as Error).message);
      return undefined;
    }
  }

  get size(): number {
    return this.#problems.length;
  }

  throwIfAny(): void {
    if (this.#problems.length) {
      throw new InputError(
        `Invalid gitops configuration: ${this.#problems.join('; ')}`,
      );
    }
  }
}

const DURATION_HINT =
  "write a duration such as '30 seconds', 'PT30S' or { seconds: 30 }";

/**
 * Reads an optional Backstage duration (`5 minutes`, `PT5M` or `{ minutes: 5 }`) in milliseconds.
 * A key of an earlier release that held a number of seconds or milliseconds is refused with the
 * name of the key that replaced it.
 */
export function readDurationMs(
  config: Config,
  options: {
    /** Relative to `config`. */
    key: string;
    /** Full path, for messages; ends with `key`. */
    path: string;
    fallbackMs: number;
    /** The key this one replaced, relative to `config` like `key`, e.g. `watch.stallTimeoutSeconds`. */
    renamedFrom?: string;
    allowZero?: boolean;
  },
  problems: ConfigProblems,
): number {
  const { key, path, fallbackMs, renamedFrom, allowZero } = options;
  if (renamedFrom && config.has(renamedFrom)) {
    problems.add(
      path.slice(0, path.length - key.length) + renamedFrom,
      `renamed: write ${path} as a duration instead, e.g. '${describe(
        fallbackMs,
      )}'`,
    );
  }
  if (!config.has(key)) return fallbackMs;
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    problems.add(path, `${(error as Error).message}; ${DURATION_HINT}`);
    return fallbackMs;
  }
  if (!(ms > 0) && !(allowZero && ms === 0)) {
    problems.add(path, `must be a positive duration; ${DURATION_HINT}`);
    return fallbackMs;
  }
  return ms;
}

/**
 * Reads an optional whole number of at least `min`; a value of another type is reported by the
 * config reader (naming the key), one out of range here.
 */
export function readWholeNumber(
  config: Config,
  options: {
    /** Relative to `config`. */
    key: string;
    /** Full path, for messages. */
    path: string;
    fallback: number;
    min: number;
  },
  problems: ConfigProblems,
): number {
  const { key, path, fallback, min } = options;
  const value = problems.read(() => config.getOptionalNumber(key));
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    problems.add(
      path,
      `must be a whole number of at least ${min}, not ${value}`,
    );
    return fallback;
  }
  return value;
}

function describe(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} minutes`;
  if (ms % 1000 === 0) return `${ms / 1000} seconds`;
  return `${ms} milliseconds`;
}
