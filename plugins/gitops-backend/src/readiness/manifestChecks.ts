import { parse } from 'yaml';
import { POD_SPEC_PATHS } from '../git/RenderedVersionReader';
import { CheckOutcome } from './outcome';

type Obj = Record<string, any>;

/** Long-running workloads: their containers are probed and their pods budgeted. */
const SERVING_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Rollout'];

/** Secret types a controller or Helm writes, which hold no data from Git. */
const GENERATED_SECRET_TYPES = new Set([
  'kubernetes.io/service-account-token',
  'helm.sh/release.v1',
]);

function parseManifests(manifests: string[]): Obj[] {
  const objects: Obj[] = [];
  for (const manifest of manifests) {
    try {
      const object = parse(manifest);
      if (object && typeof object === 'object') objects.push(object);
    } catch {
      // a manifest Argo CD rendered but this cannot parse says nothing either way
    }
  }
  return objects;
}

const named = (o: Obj) => `${o.kind} ${o.metadata?.name ?? '?'}`;

/**
 * A Secret whose data sits in Git readable by anyone with the repository: one with `data` or
 * `stringData`, unless it carries SOPS' `sops` metadata (encrypted as committed). Secrets from
 * ExternalSecret or SealedSecret objects are created in the cluster, not rendered.
 */
function isPlainSecret(object: Obj): boolean {
  if (object.kind !== 'Secret' || object.sops) return false;
  if (GENERATED_SECRET_TYPES.has(object.type)) return false;
  const has = (v: unknown) =>
    !!v && typeof v === 'object' && Object.keys(v as Obj).length > 0;
  return has(object.data) || has(object.stringData);
}

/**
 * The checks read from the manifests Argo CD renders for an Application: probes and security
 * context of the serving workloads' containers (the Pod Security Standards' restricted
 * profile asks for `runAsNonRoot`), a NetworkPolicy, a PodDisruptionBudget and no plaintext
 * Secret.
 */
export function manifestChecks(manifests: string[]): CheckOutcome[] {
  const objects = parseManifests(manifests);
  const workloads = objects.filter(o => SERVING_KINDS.includes(o.kind));
  const outcomes: CheckOutcome[] = [];
  const noWorkload = `no ${SERVING_KINDS.join(', ')} among the ${
    objects.length
  } rendered objects`;

  const unprobed: string[] = [];
  const rootOrWritable: string[] = [];
  for (const workload of workloads) {
    const pod = POD_SPEC_PATHS[workload.kind].reduce<Obj | undefined>(
      (o, key) => o?.[key],
      workload,
    );
    const podNonRoot = pod?.securityContext?.runAsNonRoot === true;
    for (const container of Array.isArray(pod?.containers)
      ? pod!.containers
      : []) {
      const where = `${named(workload)} container ${container?.name ?? '?'}`;
      const missing = ['readinessProbe', 'livenessProbe'].filter(
        probe => !container?.[probe],
      );
      if (missing.length) unprobed.push(`${where} (${missing.join(', ')})`);
      const context = container?.securityContext ?? {};
      const lacks = [
        ...(context.runAsNonRoot === true ||
        (podNonRoot && context.runAsNonRoot !== false)
          ? []
          : ['runAsNonRoot']),
        ...(context.readOnlyRootFilesystem === true
          ? []
          : ['readOnlyRootFilesystem']),
      ];
      if (lacks.length) rootOrWritable.push(`${where} (${lacks.join(', ')})`);
    }
  }
  if (!workloads.length) {
    outcomes.push(
      { id: 'manifest-probes', result: 'unknown', reason: noWorkload },
      { id: 'security-context', result: 'unknown', reason: noWorkload },
    );
  } else {
    outcomes.push(
      unprobed.length
        ? {
            id: 'manifest-probes',
            result: 'fail',
            reason: `without probes: ${unprobed.join('; ')}`,
          }
        : {
            id: 'manifest-probes',
            result: 'pass',
            reason: 'every container has readiness and liveness probes',
          },
      rootOrWritable.length
        ? {
            id: 'security-context',
            result: 'fail',
            reason: `not set: ${rootOrWritable.join('; ')}`,
          }
        : {
            id: 'security-context',
            result: 'pass',
            reason:
              'every container runs as non-root with a read-only root filesystem',
          },
    );
  }
  const present = (kind: string, id: CheckOutcome['id']): CheckOutcome => {
    const found = objects.filter(o => o.kind === kind);
    if (found.length) {
      return {
        id,
        result: 'pass',
        reason: `renders ${found.map(named).join(', ')}`,
      };
    }
    return workloads.length
      ? { id, result: 'fail', reason: `no ${kind} is rendered` }
      : { id, result: 'unknown', reason: noWorkload };
  };
  outcomes.push(
    present('NetworkPolicy', 'network-policy'),
    present('PodDisruptionBudget', 'pod-disruption-budget'),
  );
  const plain = objects.filter(isPlainSecret);
  outcomes.push(
    plain.length
      ? {
          id: 'no-plain-secrets',
          result: 'fail',
          reason: `renders ${plain.map(named).join(', ')} with data`,
        }
      : {
          id: 'no-plain-secrets',
          result: 'pass',
          reason: 'renders no Secret with data',
        },
  );
  return outcomes;
}
