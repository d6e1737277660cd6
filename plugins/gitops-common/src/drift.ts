/**
 * Drift: what differs between Git and the live cluster, from an Application's
 * `status.resources` and `status.conditions`.
 */
import type { Drift, DriftCounts, DriftedResource } from './state';

/** One entry of an Application's `status.resources`. @public */
export interface ApplicationResourceStatus {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  status?: string;
  health?: { status?: string };
  requiresPruning?: boolean;
}

/** One entry of an Application's `spec.ignoreDifferences`. @public */
export interface IgnoreDifferenceRule {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
}

/** Input of {@link computeDrift}. @public */
export interface DriftInput {
  resources?: ApplicationResourceStatus[];
  conditions?: Array<{ type?: string; message?: string }>;
  ignoreDifferences?: IgnoreDifferenceRule[];
  /** Keep at most this many resources across the lists (the rest are counted in `omitted`). */
  limit?: number;
}

const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

function coversReplicas(rule: IgnoreDifferenceRule): boolean {
  return (
    (rule.jsonPointers ?? []).some(p => p === '/spec/replicas') ||
    (rule.jqPathExpressions ?? []).some(p => p.trim() === '.spec.replicas')
  );
}

function ruleMatches(
  rule: IgnoreDifferenceRule,
  resource: ApplicationResourceStatus,
): boolean {
  return (
    rule.kind === resource.kind &&
    (rule.group ?? '') === (resource.group ?? '') &&
    (!rule.name || rule.name === resource.name) &&
    (!rule.namespace || rule.namespace === resource.namespace)
  );
}

/**
 * Whether an out-of-sync resource's drift is expected because a controller owns part of it.
 *
 * Argo CD reports a Deployment OutOfSync when an HPA changed its replicas and the Application
 * does not ignore `/spec/replicas`. We call that expected when the Application also manages a
 * HorizontalPodAutoscaler of the same name and namespace, or when an `ignoreDifferences` rule
 * for the resource names `managedFieldsManagers` (fields owned by another controller). It is
 * still shown, apart from the real drift, because a replicas-only diff cannot be told from the
 * resource list alone.
 */
function isExpectedDrift(
  resource: ApplicationResourceStatus,
  resources: ApplicationResourceStatus[],
  rules: IgnoreDifferenceRule[],
): boolean {
  const matching = rules.filter(rule => ruleMatches(rule, resource));
  if (matching.some(rule => (rule.managedFieldsManagers ?? []).length > 0)) {
    return true;
  }
  if (!SCALABLE_KINDS.has(resource.kind)) {
    return false;
  }
  if (matching.some(coversReplicas)) {
    // replicas are already ignored by Argo CD, so something else differs
    return false;
  }
  return resources.some(
    r =>
      r.kind === 'HorizontalPodAutoscaler' &&
      r.name === resource.name &&
      (r.namespace ?? '') === (resource.namespace ?? ''),
  );
}

function toDrifted(resource: ApplicationResourceStatus): DriftedResource {
  const drifted: DriftedResource = {
    kind: resource.kind,
    name: resource.name,
    status: resource.status ?? 'Unknown',
  };
  if (resource.group) drifted.group = resource.group;
  if (resource.namespace) drifted.namespace = resource.namespace;
  if (resource.health?.status) drifted.health = resource.health.status;
  if (resource.requiresPruning) drifted.requiresPruning = true;
  return drifted;
}

/** An empty drift. @public */
export function emptyDrift(): Drift {
  return {
    outOfSync: [],
    requiresPruning: [],
    missing: [],
    comparisonErrors: [],
    expected: [],
  };
}

/** The order in which drift lists keep their items when a limit applies: most important first. */
const PRIORITY = [
  'missing',
  'requiresPruning',
  'outOfSync',
  'expected',
] as const;

/**
 * Sorts an Application's out-of-sync resources into prune-required, missing, expected and
 * plain out-of-sync, and collects the messages of its error conditions (`ComparisonError`,
 * `InvalidSpecError`, `SyncError`, ...) and warning conditions (`OrphanedResourceWarning`, ...).
 *
 * @remarks
 * `counts` holds the exact number per category. With a `limit`, the lists keep missing
 * resources first, then those requiring pruning, then out-of-sync, then expected ones; the rest
 * are counted in `omitted`. Argo CD 3 does not persist per-resource health in the Application
 * (`status.resourceHealthSource: appTree`), so a missing resource without health is counted as
 * out of sync: the Application says no more.
 *
 * @public
 */
export function computeDrift(input: DriftInput): Drift {
  const resources = input.resources ?? [];
  const rules = input.ignoreDifferences ?? [];
  const limit = input.limit ?? Number.POSITIVE_INFINITY;
  const drift = emptyDrift();
  const all: Record<(typeof PRIORITY)[number], ApplicationResourceStatus[]> = {
    missing: [],
    requiresPruning: [],
    outOfSync: [],
    expected: [],
  };
  for (const resource of resources) {
    if (resource.status !== 'OutOfSync' && !resource.requiresPruning) {
      continue;
    }
    if (resource.requiresPruning) {
      all.requiresPruning.push(resource);
    } else if (resource.health?.status === 'Missing') {
      all.missing.push(resource);
    } else if (isExpectedDrift(resource, resources, rules)) {
      all.expected.push(resource);
    } else {
      all.outOfSync.push(resource);
    }
  }
  let room = limit;
  let omitted = 0;
  for (const category of PRIORITY) {
    const kept = all[category].slice(0, Math.max(0, room));
    drift[category] = kept.map(toDrifted);
    room -= kept.length;
    omitted += all[category].length - kept.length;
  }
  const total = PRIORITY.reduce((n, c) => n + all[c].length, 0);
  if (total > 0) {
    drift.counts = {
      outOfSync: all.outOfSync.length,
      requiresPruning: all.requiresPruning.length,
      missing: all.missing.length,
      expected: all.expected.length,
    };
  }
  for (const condition of input.conditions ?? []) {
    const text = `${condition.type}: ${condition.message ?? ''}`.trim();
    if (condition.type?.endsWith('Error')) {
      drift.comparisonErrors.push(text);
    } else if (condition.type?.endsWith('Warning')) {
      (drift.warnings ??= []).push(text);
    }
  }
  if (omitted > 0) {
    drift.omitted = omitted;
  }
  return drift;
}

/** The number of resources in each category, exact when the drift has `counts`. @public */
export function driftCounts(drift: Drift): DriftCounts {
  return (
    drift.counts ?? {
      outOfSync: drift.outOfSync.length,
      requiresPruning: drift.requiresPruning.length,
      missing: drift.missing.length,
      expected: drift.expected.length,
    }
  );
}

/** Whether a drift holds anything a person should look at (expected drift excluded). @public */
export function hasDrift(drift: Drift): boolean {
  return (
    drift.outOfSync.length > 0 ||
    drift.requiresPruning.length > 0 ||
    drift.missing.length > 0 ||
    drift.comparisonErrors.length > 0 ||
    (drift.omitted ?? 0) > 0
  );
}
