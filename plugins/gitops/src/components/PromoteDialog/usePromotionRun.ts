import { useCallback, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  PromotionRequest,
  PromotionResult,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsApiRef } from '../../api';

/** The visible steps of a promotion, in order. */
export const PROMOTION_STEPS = ['planning', 'gates', 'pullRequest'] as const;
export type PromotionStep = (typeof PROMOTION_STEPS)[number];
export type StepStatus = 'pending' | 'active' | 'done' | 'failed';

export interface PromotionRun {
  running: boolean;
  steps: Record<PromotionStep, StepStatus>;
  result?: PromotionResult;
  error?: Error;
}

type Steps = Record<PromotionStep, StepStatus>;

const running: Steps = {
  planning: 'active',
  gates: 'pending',
  pullRequest: 'pending',
};

/**
 * The step a refused confirmation failed at, from the status the backend answered with: 403 (the
 * permission) and 409 (a gate failed, or a file changed since the preview) are gates; another 4xx
 * is the request itself (planning); anything else happened while writing the pull request or
 * could not be told apart from it. The alert shows the backend's own message either way.
 */
function failedSteps(error: Error): Steps {
  const status =
    error.name === 'ResponseError'
      ? (error as ResponseError).response.status
      : undefined;
  if (status === 403 || status === 409) {
    return { planning: 'done', gates: 'failed', pullRequest: 'pending' };
  }
  if (status !== undefined && status >= 400 && status < 500) {
    return { planning: 'failed', gates: 'pending', pullRequest: 'pending' };
  }
  return { planning: 'done', gates: 'done', pullRequest: 'failed' };
}

/**
 * Confirms a previewed promotion with one POST that carries the blob shas of the previewed files
 * (`expectedBlobShas`): the backend plans again, checks the gates and opens the pull request only
 * when the files are still what the user reviewed (409 otherwise). No second dry run.
 */
export function usePromotionRun() {
  const api = useApi(gitopsApiRef);
  const [run, setRun] = useState<PromotionRun | undefined>();

  const start = useCallback(
    async (request: Omit<PromotionRequest, 'dryRun'>) => {
      setRun({ running: true, steps: running });
      try {
        const result = await api.promote({ ...request, dryRun: false });
        const succeeded = ['opened', 'updated', 'noop'].includes(
          result.outcome,
        );
        setRun({
          running: false,
          result,
          steps: {
            planning: 'done',
            gates: 'done',
            pullRequest: succeeded ? 'done' : 'failed',
          },
        });
      } catch (e) {
        const error = e instanceof Error ? e : new Error(String(e));
        setRun({ running: false, error, steps: failedSteps(error) });
      }
    },
    [api],
  );

  const reset = useCallback(() => setRun(undefined), []);
  return { run, start, reset };
}
