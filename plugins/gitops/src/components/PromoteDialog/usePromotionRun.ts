import { useCallback, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
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

const initialSteps: Record<PromotionStep, StepStatus> = {
  planning: 'pending',
  gates: 'pending',
  pullRequest: 'pending',
};

/**
 * Runs a promotion step by step: plan again (the source may have changed since the preview),
 * stop at the first failed gate, then open the pull request.
 */
export function usePromotionRun() {
  const api = useApi(gitopsApiRef);
  const [run, setRun] = useState<PromotionRun | undefined>();

  const start = useCallback(
    async (request: Omit<PromotionRequest, 'dryRun'>) => {
      let steps = { ...initialSteps, planning: 'active' as StepStatus };
      let current: PromotionStep = 'planning';
      const update = (patch: Partial<PromotionRun>) =>
        setRun(previous => ({
          running: true,
          ...previous,
          ...patch,
          steps,
        }));
      const advance = (step: PromotionStep, status: StepStatus) => {
        steps = { ...steps, [step]: status };
        if (status === 'active') {
          current = step;
        }
      };
      setRun({ running: true, steps });

      try {
        const plan = await api.promote({ ...request, dryRun: true });
        advance('planning', 'done');
        advance('gates', 'active');
        update({});

        const gatesFailed =
          plan.outcome === 'blocked' ||
          (plan.plan?.gates.some(gate => !gate.passed) ?? false);
        if (gatesFailed) {
          advance('gates', 'failed');
          update({ running: false, result: plan });
          return;
        }
        advance('gates', 'done');
        if (plan.outcome === 'noop' || plan.plan?.noop) {
          update({ running: false, result: plan });
          return;
        }
        advance('pullRequest', 'active');
        update({});

        const result = await api.promote({ ...request, dryRun: false });
        const succeeded = ['opened', 'updated', 'noop'].includes(
          result.outcome,
        );
        advance('pullRequest', succeeded ? 'done' : 'failed');
        update({ running: false, result });
      } catch (e) {
        advance(current, 'failed');
        update({
          running: false,
          error: e instanceof Error ? e : new Error(String(e)),
        });
      }
    },
    [api],
  );

  const reset = useCallback(() => setRun(undefined), []);
  return { run, start, reset };
}
