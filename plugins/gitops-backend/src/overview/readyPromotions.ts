import {
  EnvironmentState,
  ReadyPromotion,
} from '@backstage-gitops/plugin-gitops-common';
import {
  freezeGate,
  permissionGate,
  PromotionDeps,
  sourceGate,
  versionTag,
} from '@backstage-gitops/plugin-gitops-node';

/**
 * The promotions a service is ready for: for each environment with a `next`, its version when
 * it runs Synced and Healthy at one version the target runs nowhere. The source gate is the
 * promotion engine's, evaluated when the row is built; the gates that depend on the caller or the
 * time are added per request by {@link withRequestGates}.
 */
export function readyPromotions(
  environments: EnvironmentState[],
): ReadyPromotion[] {
  const ready: ReadyPromotion[] = [];
  for (const source of environments) {
    const target = environments.find(e => e.name === source.next);
    if (!target || !source.version) continue;
    if (source.sync !== 'Synced' || source.health !== 'Healthy') continue;
    if (!target.clusters.some(c => c.application)) continue;
    const tag = versionTag(source.version);
    if (target.versions.some(v => versionTag(v) === tag)) continue;
    const clusters = source.clusters.filter(c => c.application || c.error);
    const gate = sourceGate(source.name, clusters, source.version);
    ready.push({
      from: source.name,
      to: target.name,
      version: source.version,
      gates: [gate],
      passed: gate.passed,
    });
  }
  return ready;
}

/**
 * A row's ready promotions with the caller's permission gate and the target's freeze gate (now)
 * evaluated, in the order the promotion engine evaluates them.
 */
export function withRequestGates(
  ready: ReadyPromotion[],
  options: {
    entityRef: string;
    actor: string;
    permitted: boolean;
    config: PromotionDeps['config'];
    now: Date;
  },
): ReadyPromotion[] {
  return ready.map(r => {
    const gates = [
      permissionGate(
        { actor: options.actor, permitted: options.permitted },
        options.entityRef,
      ),
      ...r.gates,
      freezeGate({ config: options.config }, r.to, options.now),
    ];
    return { ...r, gates, passed: gates.every(g => g.passed) };
  });
}
