/**
 * Drift: what differs between Git and the live cluster, from an Application's
 * `status.resources` and `status.conditions`.
 */
import type { Drift, DriftedResource } from './state';

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

/**
 * Sorts an Application's out-of-sync resources into prune-required, missing, expected and
 * plain out-of-sync, and collects the messages of its error conditions (`ComparisonError`,
 * `InvalidSpecError`, `SyncError`, ...).
 *
 * @public
 */
export function computeDrift(input: DriftInput): Drift {
  const resources = input.resources ?? [];
  const rules = input.ignoreDifferences ?? [];
  const limit = input.limit ?? Number.POSITIVE_INFINITY;
  const drift = emptyDrift();
  let kept = 0;
  let omitted = 0;
  for (const resource of resources) {
    if (resource.status !== 'OutOfSync' && !resource.requiresPruning) {
      continue;
    }
    let list: DriftedResource[];
    if (resource.requiresPruning) {
      list = drift.requiresPruning;
    } else if (resource.health?.status === 'Missing') {
      list = drift.missing;
    } else if (isExpectedDrift(resource, resources, rules)) {
      list = drift.expected;
    } else {
      list = drift.outOfSync;
    }
    if (kept >= limit) {
      omitted++;
      continue;
    }
    list.push(toDrifted(resource));
    kept++;
  }
  for (const condition of input.conditions ?? []) {
    if (condition.type?.endsWith('Error')) {
      drift.comparisonErrors.push(
        `${condition.type}: ${condition.message ?? ''}`.trim(),
      );
    }
  }
  if (omitted > 0) {
    drift.omitted = omitted;
  }
  return drift;
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
