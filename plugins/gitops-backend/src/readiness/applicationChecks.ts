import { ExpectedSyncPolicy } from '@backstage-gitops/plugin-gitops-node';
import { IgnoredDifference, SlimApplication } from '../sources/types';
import { CheckOutcome } from './outcome';

/** Workload kinds whose `/spec/replicas` a HorizontalPodAutoscaler owns. */
const SCALED_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'Rollout',
]);

/**
 * Fields a controller writes after Argo CD applied the object, so ignoring them hides no change
 * made in Git: replicas an HPA scales, `status`, the HPA's reordered `spec.metrics` and a CA
 * bundle a certificate controller injects into webhook configurations (Argo CD's diffing docs).
 */
function isControllerOwned(kind: string, path: string): boolean {
  const pointer = path.startsWith('.')
    ? path.replace(/\[\]|\[\d+\]/g, '/*').replace(/\./g, '/')
    : path;
  if (pointer === '/status' || pointer.startsWith('/status/')) return true;
  if (SCALED_KINDS.has(kind) && pointer === '/spec/replicas') return true;
  if (
    kind === 'HorizontalPodAutoscaler' &&
    pointer.startsWith('/spec/metrics')
  ) {
    return true;
  }
  return (
    /WebhookConfiguration$/.test(kind) &&
    /\/clientConfig\/caBundle$/.test(pointer)
  );
}

/** Field managers that are controllers, per Argo CD's `managedFieldsManagers` example. */
const CONTROLLER_MANAGERS = new Set(['kube-controller-manager']);

function ignoredBeyondControllers(entry: IgnoredDifference): string[] {
  const what = `${entry.kind}${entry.name ? ` ${entry.name}` : ''}`;
  return [
    ...entry.paths
      .filter(path => !isControllerOwned(entry.kind, path))
      .map(path => `${what} ${path}`),
    ...(entry.managers ?? [])
      .filter(manager => !CONTROLLER_MANAGERS.has(manager))
      .map(manager => `${what} fields of manager ${manager}`),
  ];
}

function ignoreDifferencesCheck(app: SlimApplication): CheckOutcome {
  const id = 'ignore-differences';
  const beyond = (app.ignoreDifferences ?? []).flatMap(
    ignoredBeyondControllers,
  );
  if (beyond.length) {
    return { id, result: 'fail', reason: `ignores ${beyond.join(', ')}` };
  }
  if (app.ignoreDifferencesOmitted) {
    return {
      id,
      result: 'unknown',
      reason: `${app.ignoreDifferencesOmitted} more ignored fields than the suite keeps per Application`,
    };
  }
  return {
    id,
    result: 'pass',
    reason: app.ignoreDifferences?.length
      ? 'ignores only controller-owned fields'
      : 'ignores no differences',
  };
}

/**
 * The checks read from the Application spec: sync policy against the environment's, what
 * `ignoreDifferences` hides, and the project. Prune and selfHeal apply only where sync is
 * expected to be automated.
 */
export function applicationChecks(
  app: SlimApplication,
  expected: ExpectedSyncPolicy,
): CheckOutcome[] {
  const outcomes: CheckOutcome[] = [];
  const automated = app.automatedSync;
  if (expected.automated) {
    outcomes.push(
      automated
        ? {
            id: 'sync-automated',
            result: 'pass',
            reason: 'syncs automatically',
          }
        : {
            id: 'sync-automated',
            result: 'fail',
            reason:
              'syncs by hand, but the environment is configured to sync automatically',
          },
    );
  } else {
    outcomes.push(
      automated
        ? {
            id: 'sync-automated',
            result: 'fail',
            reason:
              'syncs automatically, but the environment is configured to sync by hand',
          }
        : { id: 'sync-automated', result: 'pass', reason: 'syncs by hand' },
    );
  }
  const flag = (
    id: 'sync-prune' | 'sync-self-heal',
    name: 'prune' | 'selfHeal',
  ) => {
    if (!expected.automated || !expected[name]) return;
    if (!automated) {
      outcomes.push({
        id,
        result: 'fail',
        reason: `automated sync is off, so there is no ${name}`,
      });
    } else {
      const set = automated.includes(name);
      outcomes.push({
        id,
        result: set ? 'pass' : 'fail',
        reason: `automated.${name} is ${set}`,
      });
    }
  };
  flag('sync-prune', 'prune');
  flag('sync-self-heal', 'selfHeal');

  outcomes.push(ignoreDifferencesCheck(app));
  outcomes.push(
    !app.project || app.project === 'default'
      ? {
          id: 'project',
          result: 'fail',
          reason: 'in the default project',
        }
      : { id: 'project', result: 'pass', reason: `in project ${app.project}` },
  );
  return outcomes;
}
