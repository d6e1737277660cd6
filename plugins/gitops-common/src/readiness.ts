/**
 * Readiness: the minimum safe deployment standard of a service, checked per environment.
 * Served inside the state API (`EntityGitopsState.readiness`).
 */

/** Outcome of one readiness check. `unknown` always says why; nothing passes by default. @public */
export type ReadinessResult = 'pass' | 'fail' | 'unknown';

/** How much a failing check matters in an environment (`gitops.readiness.checks`). @public */
export type ReadinessSeverity = 'error' | 'warning' | 'info';

/** What a readiness check reads. @public */
export type ReadinessInput = 'application' | 'values' | 'manifests' | 'history';

/** The readiness checks the suite knows. @public */
export type ReadinessCheckId =
  | 'sync-automated'
  | 'sync-prune'
  | 'sync-self-heal'
  | 'ignore-differences'
  | 'project'
  | 'image-tag'
  | 'image-digest'
  | 'probes'
  | 'resources'
  | 'replicas'
  | 'manifest-probes'
  | 'security-context'
  | 'network-policy'
  | 'pod-disruption-budget'
  | 'no-plain-secrets'
  | 'rollback';

/** The fixed description of one check. @public */
export interface ReadinessCheckDefinition {
  id: ReadinessCheckId;
  title: string;
  input: ReadinessInput;
  /** What to change when the check fails. */
  howToFix: string;
}

/** Every check the suite knows, in the order they are shown. @public */
export const READINESS_CHECKS: readonly ReadinessCheckDefinition[] = [
  {
    id: 'sync-automated',
    title: 'Sync policy as configured for the environment',
    input: 'application',
    howToFix:
      'Set spec.syncPolicy.automated on the Application where the environment syncs automatically, and remove it where it syncs by hand',
  },
  {
    id: 'sync-prune',
    title: 'Automated sync prunes what left Git',
    input: 'application',
    howToFix: 'Set spec.syncPolicy.automated.prune: true on the Application',
  },
  {
    id: 'sync-self-heal',
    title: 'Automated sync reverts changes made by hand',
    input: 'application',
    howToFix: 'Set spec.syncPolicy.automated.selfHeal: true on the Application',
  },
  {
    id: 'ignore-differences',
    title: 'ignoreDifferences only for controller-owned fields',
    input: 'application',
    howToFix:
      'Keep spec.ignoreDifferences to fields a controller owns (e.g. /spec/replicas of a Deployment an HPA scales, /status); fix the manifest in Git instead of ignoring the rest',
  },
  {
    id: 'project',
    title: 'Argo CD project other than default',
    input: 'application',
    howToFix:
      "Move the Application into the team's Argo CD project (spec.project); the default project allows any source and destination",
  },
  {
    id: 'image-tag',
    title: 'Immutable image tag',
    input: 'values',
    howToFix:
      'Set the image tag in the values to a version or Git sha, not latest and not empty',
  },
  {
    id: 'image-digest',
    title: 'Image pinned by digest',
    input: 'values',
    howToFix:
      'Pin the image by digest (image.digest, or a tag ending in @sha256:<digest>) in this environment',
  },
  {
    id: 'probes',
    title: 'Readiness and liveness probes enabled',
    input: 'values',
    howToFix:
      'Configure probes.readiness and probes.liveness in the values; a probe should check the service can serve',
  },
  {
    id: 'resources',
    title: 'CPU and memory requests and limits set',
    input: 'values',
    howToFix:
      'Set resources.requests and resources.limits (cpu and memory) in the values',
  },
  {
    id: 'replicas',
    title: 'Replicas, autoscaling and disruption budget agree',
    input: 'values',
    howToFix:
      'Run at least 2 replicas (replicaCount, or autoscaling.minReplicas) with a PodDisruptionBudget that lets at least one pod be evicted',
  },
  {
    id: 'manifest-probes',
    title: 'Rendered containers have readiness and liveness probes',
    input: 'manifests',
    howToFix:
      'Give every container of the rendered workloads a readinessProbe and a livenessProbe',
  },
  {
    id: 'security-context',
    title: 'Containers run as non-root with a read-only root filesystem',
    input: 'manifests',
    howToFix:
      'Set securityContext.runAsNonRoot: true (pod or container) and readOnlyRootFilesystem: true on every container',
  },
  {
    id: 'network-policy',
    title: 'A NetworkPolicy is rendered',
    input: 'manifests',
    howToFix:
      "Render a NetworkPolicy for the service's pods (networkPolicy.enabled in the golden-path chart)",
  },
  {
    id: 'pod-disruption-budget',
    title: 'A PodDisruptionBudget is rendered',
    input: 'manifests',
    howToFix:
      'Render a PodDisruptionBudget for the workload (podDisruptionBudget.enabled in the golden-path chart)',
  },
  {
    id: 'no-plain-secrets',
    title: 'No plaintext Secret in Git',
    input: 'manifests',
    howToFix:
      'Replace the Secret with an ExternalSecret, a SealedSecret or a SOPS-encrypted file',
  },
  {
    id: 'rollback',
    title: 'An earlier version to roll back to',
    input: 'history',
    howToFix:
      'Keep Argo CD history (spec.revisionHistoryLimit above 1) and deploy through Git, so an earlier synced version exists',
  },
];

/** One check in one environment. @public */
export interface ReadinessCheck {
  id: ReadinessCheckId;
  title: string;
  result: ReadinessResult;
  /** Why it failed or is unknown, naming the cluster when the environment has several. */
  reason?: string;
  severity: ReadinessSeverity;
  howToFix: string;
}

/** The readiness of a service in one environment. @public */
export interface EnvironmentReadiness {
  environment: string;
  /** The checks that apply here (configured, and meaningful for the sync mode). */
  checks: ReadinessCheck[];
  /** Why there are no checks, e.g. no Application of the service lands in the environment. */
  reason?: string;
  counts: Record<ReadinessResult, number>;
}

/**
 * Response of `GET /api/gitops/v1/readiness/:kind/:namespace/:name`: the entity's readiness per
 * environment, apart from the state so the tab's live state stays as fast as the cells alone.
 *
 * @public
 */
export interface EntityReadiness {
  entityRef: string;
  /** In environment order; empty when readiness is off (`gitops.readiness.enabled: false`). */
  environments: EnvironmentReadiness[];
}

/** Counts the results of checks. @public */
export function countReadiness(
  checks: Pick<ReadinessCheck, 'result'>[],
): Record<ReadinessResult, number> {
  const counts = { pass: 0, fail: 0, unknown: 0 };
  for (const check of checks) counts[check.result]++;
  return counts;
}
