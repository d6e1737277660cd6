import {
  FailedSyncResource,
  OperationSummary,
} from '@backstage-gitops/plugin-gitops-common';
import { redactUserinfo } from '@backstage-gitops/plugin-gitops-node';

/** Longest operation message kept; Argo CD's can hold whole kubectl outputs. */
export const MAX_OPERATION_MESSAGE = 200;
/** Longest message kept per failed resource or hook. */
export const MAX_FAILED_MESSAGE = 100;
/** Failed resources and hooks kept per Application. */
export const MAX_FAILED_RESOURCES = 3;

const FAILED_HOOK_PHASES = new Set(['Failed', 'Error']);

type Obj = Record<string, unknown>;

/**
 * Shortens a message by eliding its middle: Kubernetes and Argo CD put what failed first and
 * why last ("one or more objects failed to apply, reason: ... must be between 1 and 65535").
 */
export function elideMiddle(message: string, max: number): string {
  if (message.length <= max) return message;
  const head = Math.floor((max - 1) * 0.4);
  const tail = max - 1 - head;
  return `${message.slice(0, head)}…${message.slice(message.length - tail)}`;
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  return elideMiddle(redactUserinfo(value.trim()), max);
}

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The resources and hooks of a sync result that failed (`status: SyncFailed`, or a hook whose
 * `hookPhase` is `Failed` or `Error`): failed hooks first, as a failed hook stops the sync. A
 * resource's message the operation's message already holds ("one or more objects failed to
 * apply, reason: <the resource's message>") is not repeated.
 */
function failedResources(
  syncResult: unknown,
  operationMessage: string,
): FailedSyncResource[] {
  const resources =
    isObject(syncResult) && Array.isArray(syncResult.resources)
      ? syncResult.resources.filter(isObject)
      : [];
  const failed = resources.filter(
    r =>
      r.status === 'SyncFailed' ||
      FAILED_HOOK_PHASES.has(String(r.hookPhase ?? '')),
  );
  failed.sort((a, b) => Number(!!b.hookType) - Number(!!a.hookType));
  return failed.slice(0, MAX_FAILED_RESOURCES).map(r => {
    const item: FailedSyncResource = {
      kind: String(r.kind ?? 'Unknown'),
      name: String(r.name ?? ''),
    };
    if (typeof r.namespace === 'string' && r.namespace) {
      item.namespace = r.namespace;
    }
    if (typeof r.hookType === 'string' && r.hookType) {
      item.hookType = r.hookType;
    }
    const said = typeof r.message === 'string' ? r.message.trim() : '';
    if (said && !operationMessage.includes(said)) {
      item.message = text(said, MAX_FAILED_MESSAGE);
    }
    return item;
  });
}

/**
 * The summary of `status.operationState`: its phase, message unless it succeeded (credentials
 * removed, bounded) and
 * the resources and hooks that failed, so the tab can say why a sync failed. Undefined when the
 * Application has had no operation yet.
 */
export function readOperation(
  operationState: Obj,
): OperationSummary | undefined {
  const phase = operationState.phase;
  if (typeof phase !== 'string' || !phase) return undefined;
  const summary: OperationSummary = { phase };
  // "successfully synced (all tasks run)" tells nothing the phase does not
  const message =
    phase === 'Succeeded'
      ? undefined
      : text(operationState.message, MAX_OPERATION_MESSAGE);
  if (message) summary.message = message;
  const failed = failedResources(
    operationState.syncResult,
    typeof operationState.message === 'string' ? operationState.message : '',
  );
  if (failed.length) summary.failed = failed;
  return summary.message || summary.failed ? summary : phaseOnly(phase);
}

const PHASE_ONLY = new Map<string, OperationSummary>();

/**
 * The summary of an operation that says nothing but its phase (every succeeded one), shared:
 * most Applications have one, and it is never modified once projected.
 */
function phaseOnly(phase: string): OperationSummary {
  let summary = PHASE_ONLY.get(phase);
  if (!summary) {
    summary = Object.freeze({ phase }) as OperationSummary;
    // phases are few (Running, Terminating, Failed, Error, Succeeded); an unknown flood is not kept
    if (PHASE_ONLY.size < 16) PHASE_ONLY.set(phase, summary);
  }
  return summary;
}
