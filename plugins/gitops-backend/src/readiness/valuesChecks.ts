import { MergedHelmValues } from '@backstage-gitops/plugin-gitops-node';
import { CheckOutcome } from './outcome';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function at(values: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), values);
}

const DIGEST = /@?sha256:[0-9a-f]{64}$/;

/** Options of {@link valuesChecks}. */
export interface ValuesCheckOptions {
  /** Dot path of the image tag (`gitops.helmValuesKey`, e.g. `image.tag`). */
  tagKey: string;
}

/**
 * The checks read from a service's merged Helm values, by the keys of the golden-path chart
 * (`probes`, `resources`, `replicaCount`, `autoscaling`, `podDisruptionBudget`; the image tag at
 * `tagKey`, its digest beside it). A key the chart's defaults might set, when those are not in
 * Git (a packaged chart), makes a check unknown rather than failed.
 */
export function valuesChecks(
  merged: MergedHelmValues,
  { tagKey }: ValuesCheckOptions,
): CheckOutcome[] {
  const { values, chartDefaultsUnknown } = merged;
  const missing = (id: CheckOutcome['id'], what: string): CheckOutcome =>
    chartDefaultsUnknown
      ? {
          id,
          result: 'unknown',
          reason: `not set in the values in Git: ${what}; the packaged chart's own defaults are not read`,
        }
      : { id, result: 'fail', reason: `not set: ${what}` };
  const outcomes: CheckOutcome[] = [];

  const tag = at(values, tagKey);
  const tagText = tag === undefined || tag === null ? '' : String(tag);
  if (!tagText) outcomes.push(missing('image-tag', tagKey));
  else if (tagText === 'latest' || tagText.startsWith('latest@')) {
    outcomes.push({
      id: 'image-tag',
      result: 'fail',
      reason: `${tagKey} is latest, a moving tag`,
    });
  } else {
    outcomes.push({
      id: 'image-tag',
      result: 'pass',
      reason: `${tagKey} is ${tagText}`,
    });
  }

  const digestKey = tagKey.replace(/[^.]+$/, 'digest');
  const digest = at(values, digestKey);
  outcomes.push(
    (typeof digest === 'string' && DIGEST.test(digest)) || DIGEST.test(tagText)
      ? { id: 'image-digest', result: 'pass', reason: 'pinned by digest' }
      : {
          id: 'image-digest',
          result: 'fail',
          reason: `neither ${digestKey} nor ${tagKey} holds a sha256 digest`,
        },
  );

  const probes = ['readiness', 'liveness'].map(kind => {
    const probe = at(values, `probes.${kind}`) ?? at(values, `${kind}Probe`);
    return { kind, probe };
  });
  const absent = probes.filter(
    ({ probe }) => !isObject(probe) || probe.enabled === false,
  );
  if (!absent.length) {
    outcomes.push({
      id: 'probes',
      result: 'pass',
      reason: 'readiness and liveness probes are configured',
    });
  } else if (absent.some(({ probe }) => isObject(probe))) {
    outcomes.push({
      id: 'probes',
      result: 'fail',
      reason: `${absent.map(p => p.kind).join(' and ')} probe disabled`,
    });
  } else {
    outcomes.push(
      missing(
        'probes',
        `probes.${absent.map(p => p.kind).join(' and probes.')}`,
      ),
    );
  }

  const unset = [
    'requests.cpu',
    'requests.memory',
    'limits.cpu',
    'limits.memory',
  ]
    .map(key => `resources.${key}`)
    .filter(key => {
      const value = at(values, key);
      return value === undefined || value === null || value === '';
    });
  outcomes.push(
    unset.length
      ? missing('resources', unset.join(', '))
      : {
          id: 'resources',
          result: 'pass',
          reason: 'cpu and memory requests and limits are set',
        },
  );

  outcomes.push(replicasCheck(values, missing));
  return outcomes;
}

/**
 * At least two pods, and a disruption budget that lets one be evicted: a budget with
 * `maxUnavailable: 0`, or `minAvailable` at the replica count, blocks node drains (Kubernetes'
 * "Specifying a Disruption Budget").
 */
function replicasCheck(
  values: Obj,
  missing: (id: CheckOutcome['id'], what: string) => CheckOutcome,
): CheckOutcome {
  const id = 'replicas';
  const autoscaling = at(values, 'autoscaling');
  const hpa = isObject(autoscaling) && autoscaling.enabled === true;
  const count = Number(
    hpa ? autoscaling.minReplicas ?? 1 : at(values, 'replicaCount'),
  );
  const what = hpa ? 'autoscaling.minReplicas' : 'replicaCount';
  if (!hpa && at(values, 'replicaCount') === undefined) {
    return missing(id, 'replicaCount');
  }
  if (!Number.isFinite(count) || count < 2) {
    return {
      id,
      result: 'fail',
      reason: `${what} is ${count}: one pod is one point of failure`,
    };
  }
  if (hpa && Number(autoscaling.maxReplicas) < count) {
    return {
      id,
      result: 'fail',
      reason: `autoscaling.maxReplicas ${autoscaling.maxReplicas} is below minReplicas ${count}`,
    };
  }
  const pdb = at(values, 'podDisruptionBudget');
  if (isObject(pdb) && pdb.enabled === true) {
    const { maxUnavailable, minAvailable } = pdb;
    if (maxUnavailable !== undefined && String(maxUnavailable) === '0') {
      return {
        id,
        result: 'fail',
        reason:
          'podDisruptionBudget.maxUnavailable is 0: no pod can be evicted',
      };
    }
    if (
      minAvailable !== undefined &&
      (String(minAvailable) === '100%' || Number(minAvailable) >= count)
    ) {
      return {
        id,
        result: 'fail',
        reason: `podDisruptionBudget.minAvailable ${minAvailable} leaves no pod of ${count} to evict`,
      };
    }
  }
  return {
    id,
    result: 'pass',
    reason: `${what} is ${count}${
      isObject(pdb) && pdb.enabled === true ? ', with a disruption budget' : ''
    }`,
  };
}
