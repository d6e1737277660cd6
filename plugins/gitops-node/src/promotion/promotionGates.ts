import {
  ClusterState,
  GateResult,
  PromotionRequest,
} from '@backstage-gitops/plugin-gitops-common';
import { versionTag } from '../version';
import { PromotionContext, PromotionDeps } from './types';

/** The permission gate: the caller's right to promote, as the backend decided it. @public */
export function permissionGate(
  context: PromotionContext,
  entityRef: string,
): GateResult {
  return {
    gate: 'permission',
    passed: context.permitted,
    message: context.permitted
      ? `${context.actor} may promote ${entityRef}`
      : `${context.actor} may not promote ${entityRef}: only its owners and the release owners may`,
  };
}

/** The source gate: the version runs Synced and Healthy on every cluster of the source. @public */
export function sourceGate(
  from: string,
  clusters: ClusterState[],
  version: string,
): GateResult {
  const tag = versionTag(version);
  const failing = clusters.filter(
    c =>
      c.error ||
      c.sync !== 'Synced' ||
      c.health !== 'Healthy' ||
      !c.liveVersion ||
      versionTag(c.liveVersion) !== tag,
  );
  if (clusters.length === 0 || failing.length > 0) {
    return {
      gate: 'source-synced-healthy',
      passed: false,
      message: `${version} must run Synced and Healthy on every cluster of ${from}, but ${
        clusters.length === 0
          ? 'no cluster of it has an Application'
          : failing
              .map(c =>
                c.error
                  ? `${c.cluster} is unknown (${c.error.message})`
                  : `${c.cluster} is ${c.sync}/${c.health} at ${
                      c.liveVersion ?? 'an unknown version'
                    }`,
              )
              .join('; ')
      }`,
    };
  }
  return {
    gate: 'source-synced-healthy',
    passed: true,
    message: `${version} runs Synced and Healthy on ${clusters
      .map(c => c.cluster)
      .join(', ')}`,
  };
}

/** The rollback gate: an explicit earlier version ran in the target or the source before. */
export async function historyGate(
  deps: PromotionDeps,
  entityRef: string,
  request: PromotionRequest,
  version: string,
  running: string | undefined,
): Promise<GateResult> {
  const tag = versionTag(version);
  const intro = `${version} is not what ${request.from} runs (${
    running ?? 'no single version'
  }), so it is a rollback`;
  if (!deps.state.getEnvironmentHistory) {
    return {
      gate: 'version-in-history',
      passed: false,
      message: `${intro}, and the deployment history needed to check it is unavailable`,
    };
  }
  const found: string[] = [];
  for (const environment of [request.to, request.from]) {
    const history = await deps.state.getEnvironmentHistory(
      entityRef,
      environment,
    );
    if (history.entries.some(e => e.version && versionTag(e.version) === tag)) {
      found.push(environment);
    }
  }
  return found.length > 0
    ? {
        gate: 'version-in-history',
        passed: true,
        message: `${intro}; it was deployed to ${found.join(' and ')} before`,
      }
    : {
        gate: 'version-in-history',
        passed: false,
        message: `${intro}, but it appears in neither the history of ${request.to} nor of ${request.from}; only versions that ran there can be rolled back to`,
      };
}

/** The freeze gate: the target environment is in none of its freeze windows now. @public */
export function freezeGate(
  deps: Pick<PromotionDeps, 'config'>,
  environment: string,
  now: Date,
): GateResult {
  const active = deps.config.freezeWindows.filter(
    w =>
      (!w.environments || w.environments.includes(environment)) &&
      w.contains(now),
  );
  if (active.length > 0) {
    return {
      gate: 'freeze-window',
      passed: false,
      message: `${environment} is frozen (${active
        .map(w => `${w.start} – ${w.end}${w.reason ? `: ${w.reason}` : ''}`)
        .join('; ')})`,
    };
  }
  return {
    gate: 'freeze-window',
    passed: true,
    message: `${environment} is not in a freeze window`,
  };
}
