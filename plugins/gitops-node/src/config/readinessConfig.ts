import { Config } from '@backstage/config';
import {
  READINESS_CHECKS,
  ReadinessCheckId,
  ReadinessSeverity,
} from '@backstage-gitops/plugin-gitops-common';
import { ConfigProblems } from './configProblems';
import type { GitopsConfig } from './types';

const SEVERITIES: ReadinessSeverity[] = ['error', 'warning', 'info'];

/** Severity of a check where nothing is configured: the seeds' minimum safe deployment standard. */
const DEFAULT_SEVERITY: Partial<Record<ReadinessCheckId, ReadinessSeverity>> = {
  'network-policy': 'warning',
  'security-context': 'warning',
};

/** How one check applies (`gitops.readiness.checks.<id>`). @public */
export interface ReadinessCheckConfig {
  /** Severity where no environment overrides it. */
  severity: ReadinessSeverity;
  /** Per environment: another severity, or `off` to skip the check there. */
  environments: Record<string, ReadinessSeverity | 'off'>;
}

/** The sync policy expected of an environment's Applications. @public */
export interface ExpectedSyncPolicy {
  automated: boolean;
  prune: boolean;
  selfHeal: boolean;
}

/** `gitops.readiness`: which readiness checks apply where, and how much they matter. @public */
export interface ReadinessConfig {
  enabled: boolean;
  checks: Record<ReadinessCheckId, ReadinessCheckConfig>;
  /** Environments whose image must be pinned by digest. */
  digestRequiredIn: string[];
  /** Sync policy per environment where configured; see {@link expectedSyncPolicy}. */
  syncPolicy: Record<string, Partial<ExpectedSyncPolicy>>;
}

/** Reads `gitops.readiness`; environments named must be configured ones. */
export function readReadinessConfig(
  config: Config,
  environments: string[],
  problems: ConfigProblems,
): ReadinessConfig {
  const readiness = problems.read(() =>
    config.getOptionalConfig('gitops.readiness'),
  );
  const knownEnvironment = (key: string, environment: string) => {
    if (environments.includes(environment)) return true;
    problems.add(
      key,
      `${environment} is not a configured environment (${environments.join(
        ', ',
      )})`,
    );
    return false;
  };
  const checksConfig = problems.read(() =>
    readiness?.getOptionalConfig('checks'),
  );
  const known = READINESS_CHECKS.map(c => c.id as string);
  for (const id of checksConfig?.keys() ?? []) {
    if (!known.includes(id)) {
      problems.add(
        `gitops.readiness.checks.${id}`,
        `no such check; known checks: ${known.join(', ')}`,
      );
    }
  }
  const severityAt = (key: string, value: string | undefined, off: boolean) => {
    if (value === undefined) return undefined;
    if ((off && value === 'off') || SEVERITIES.includes(value as any)) {
      return value as ReadinessSeverity | 'off';
    }
    problems.add(
      key,
      `must be one of ${[...SEVERITIES, ...(off ? ['off'] : [])].join(
        ', ',
      )}, not '${value}'`,
    );
    return undefined;
  };
  const checks = {} as Record<ReadinessCheckId, ReadinessCheckConfig>;
  for (const { id } of READINESS_CHECKS) {
    const key = `gitops.readiness.checks.${id}`;
    const entry = problems.read(() => checksConfig?.getOptionalConfig(id));
    const perEnvironment: Record<string, ReadinessSeverity | 'off'> = {};
    const byEnvironment = problems.read(() =>
      entry?.getOptionalConfig('environments'),
    );
    for (const environment of byEnvironment?.keys() ?? []) {
      const envKey = `${key}.environments.${environment}`;
      const value = severityAt(
        envKey,
        problems.read(() => byEnvironment!.getString(environment)),
        true,
      );
      if (value && knownEnvironment(envKey, environment)) {
        perEnvironment[environment] = value;
      }
    }
    const enabled = problems.read(() => entry?.getOptionalBoolean('enabled'));
    const severity = severityAt(
      `${key}.severity`,
      problems.read(() => entry?.getOptionalString('severity')),
      false,
    ) as ReadinessSeverity | undefined;
    if (enabled === false) {
      for (const environment of environments) {
        perEnvironment[environment] ??= 'off';
      }
    }
    checks[id] = {
      severity: severity ?? DEFAULT_SEVERITY[id] ?? 'error',
      environments: perEnvironment,
    };
  }
  const digestRequiredIn = (
    problems.read(() =>
      readiness?.getOptionalStringArray('digestRequiredIn'),
    ) ?? []
  ).filter(environment =>
    knownEnvironment('gitops.readiness.digestRequiredIn', environment),
  );
  const syncPolicy: Record<string, Partial<ExpectedSyncPolicy>> = {};
  const policies = problems.read(() =>
    readiness?.getOptionalConfig('syncPolicy'),
  );
  for (const environment of policies?.keys() ?? []) {
    const key = `gitops.readiness.syncPolicy.${environment}`;
    if (!knownEnvironment(key, environment)) continue;
    const policy = problems.read(() => policies!.getConfig(environment));
    const flag = (name: keyof ExpectedSyncPolicy) =>
      problems.read(() => policy?.getOptionalBoolean(name));
    syncPolicy[environment] = Object.fromEntries(
      (['automated', 'prune', 'selfHeal'] as const)
        .map(name => [name, flag(name)] as const)
        .filter(([, value]) => value !== undefined),
    );
  }
  return {
    enabled:
      problems.read(() => readiness?.getOptionalBoolean('enabled')) ?? true,
    checks,
    digestRequiredIn,
    syncPolicy,
  };
}

/**
 * The sync policy an environment's Applications should have: `gitops.readiness.syncPolicy` where
 * set, else the template's (`gitops.template.syncPolicy`: automated except the last environment),
 * with prune and selfHeal wherever sync is automated.
 *
 * @public
 */
export function expectedSyncPolicy(
  config: Pick<GitopsConfig, 'readiness' | 'template' | 'topology'>,
  environment: string,
): ExpectedSyncPolicy {
  const environments = config.topology.environments.map(e => e.name);
  const templateMode = config.template.syncPolicy[environment];
  const configured = config.readiness.syncPolicy[environment] ?? {};
  const automated =
    configured.automated ??
    (templateMode
      ? templateMode === 'automated'
      : environment !== environments[environments.length - 1]);
  return {
    automated,
    prune: configured.prune ?? automated,
    selfHeal: configured.selfHeal ?? automated,
  };
}

/**
 * The severity of a check in an environment, or `off` when it does not apply there.
 *
 * @public
 */
export function readinessSeverity(
  readiness: ReadinessConfig,
  id: ReadinessCheckId,
  environment: string,
): ReadinessSeverity | 'off' {
  if (!readiness.enabled) return 'off';
  if (
    id === 'image-digest' &&
    !readiness.digestRequiredIn.includes(environment)
  ) {
    return 'off';
  }
  const check = readiness.checks[id];
  return check.environments[environment] ?? check.severity;
}
