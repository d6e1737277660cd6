import {
  ReadinessCheckId,
  ReadinessResult,
} from '@backstage-gitops/plugin-gitops-common';

/** What one check found for one Application; `reason` says what, in words. */
export interface CheckOutcome {
  id: ReadinessCheckId;
  result: ReadinessResult;
  reason: string;
}

/** The outcomes of every check of one input, all `unknown` for one reason. */
export function allUnknown(
  ids: ReadinessCheckId[],
  reason: string,
): CheckOutcome[] {
  return ids.map(id => ({ id, result: 'unknown', reason }));
}
