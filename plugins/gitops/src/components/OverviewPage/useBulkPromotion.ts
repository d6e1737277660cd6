import { useCallback, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { PromotionPullRequest } from '@backstage-gitops/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import { errorMessage } from '../errorMessage';

/** Promotions opened at the same time: enough to be quick, few enough to spare GitHub. */
const CONCURRENCY = 3;

/** One service's promotion in a bulk run. */
export type BulkStatus =
  | { state: 'pending' }
  | { state: 'opening' }
  | { state: 'opened'; pullRequests: PromotionPullRequest[] }
  | { state: 'noop'; message: string }
  | { state: 'failed'; message: string };

/** What to promote for one selected row. */
export interface BulkItem {
  id: string;
  entityRef: string;
  from: string;
  to: string;
  version: string;
}

/**
 * Opens one promotion per selected service, a few at a time, and tracks each: a failure is
 * recorded on its row and the others go on.
 */
export function useBulkPromotion() {
  const api = useApi(gitopsApiRef);
  const [statuses, setStatuses] = useState<Record<string, BulkStatus>>({});
  const [running, setRunning] = useState(false);

  const run = useCallback(
    async (items: BulkItem[]) => {
      const set = (id: string, status: BulkStatus) =>
        setStatuses(current => ({ ...current, [id]: status }));
      setRunning(true);
      setStatuses(current => ({
        ...current,
        ...Object.fromEntries(
          items.map(item => [item.id, { state: 'pending' }]),
        ),
      }));
      const queue = [...items];
      const worker = async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          set(item.id, { state: 'opening' });
          try {
            const result = await api.promote({
              entityRef: item.entityRef,
              from: item.from,
              to: item.to,
              version: item.version,
            });
            if (result.outcome === 'opened' || result.outcome === 'updated') {
              set(item.id, {
                state: 'opened',
                pullRequests: result.pullRequests,
              });
            } else if (result.outcome === 'noop') {
              set(item.id, { state: 'noop', message: result.message });
            } else {
              set(item.id, { state: 'failed', message: result.message });
            }
          } catch (e) {
            const error = e instanceof Error ? e : new Error(String(e));
            set(item.id, { state: 'failed', message: errorMessage(error) });
          }
        }
      };
      await Promise.all(
        Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker),
      );
      setRunning(false);
    },
    [api],
  );

  return { statuses, running, run };
}
