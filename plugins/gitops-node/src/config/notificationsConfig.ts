import { Config } from '@backstage/config';
import { ConfigProblems, readDurationMs } from './configProblems';

/** What is notified for one environment (`gitops.notifications.environments.<name>`). @public */
export interface EnvironmentNotificationsConfig {
  /** Drift lasting this long is notified; undefined when drift is not notified. */
  driftAfterMs?: number;
  /** Sync failures are notified, one per failure episode. */
  syncFailures: boolean;
  /** Promotions into the environment are notified when deployed or failed. */
  promotions: boolean;
}

/** `gitops.notifications`: what the owning groups hear of. @public */
export interface NotificationsConfig {
  enabled: boolean;
  /** By environment name; environments left out are not notified of. */
  environments: Record<string, EnvironmentNotificationsConfig>;
}

/** Drift is notified once it has lasted this long, unless configured otherwise. */
export const DEFAULT_DRIFT_AFTER_MS = 15 * 60_000;

/**
 * Reads `gitops.notifications`. Without `environments`, only the last environment (production,
 * in promotion order) is notified of, with every kind on; an environment listed gets every kind
 * on unless it turns one off.
 */
export function readNotificationsConfig(
  config: Config,
  environments: string[],
  problems: ConfigProblems,
): NotificationsConfig {
  const block = problems.read(() =>
    config.getOptionalConfig('gitops.notifications'),
  );
  const enabled =
    problems.read(() => block?.getOptionalBoolean('enabled')) ?? true;
  const configured = problems.read(() =>
    block?.getOptionalConfig('environments'),
  );
  const result: Record<string, EnvironmentNotificationsConfig> = {};
  if (!configured) {
    const last = environments[environments.length - 1];
    if (last) {
      result[last] = {
        driftAfterMs: DEFAULT_DRIFT_AFTER_MS,
        syncFailures: true,
        promotions: true,
      };
    }
    return { enabled, environments: result };
  }
  for (const name of configured.keys()) {
    const path = `gitops.notifications.environments.${name}`;
    if (!environments.includes(name)) {
      problems.add(
        path,
        `${name} is not a configured environment (${environments.join(', ')})`,
      );
      continue;
    }
    const env = problems.read(() => configured.getConfig(name));
    if (!env) continue;
    const flag = (key: string) =>
      problems.read(() => env.getOptionalBoolean(key)) ?? true;
    result[name] = {
      driftAfterMs: flag('drift')
        ? readDurationMs(
            env,
            {
              key: 'driftAfter',
              path: `${path}.driftAfter`,
              fallbackMs: DEFAULT_DRIFT_AFTER_MS,
              renamedFrom: 'driftAfterMinutes',
            },
            problems,
          )
        : undefined,
      syncFailures: flag('syncFailures'),
      promotions: flag('promotions'),
    };
  }
  return { enabled, environments: result };
}
