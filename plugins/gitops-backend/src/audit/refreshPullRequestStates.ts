import {
  PromotionPullRequest,
  PromotionRecord,
  SourceError,
} from '@backstage-gitops/plugin-gitops-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { PullRequestReader } from '../tracking/PullRequestReader';
import { PromotionAuditStore } from './PromotionAuditStore';

/**
 * Brings the pull request states of an entity's audit up to date: the pull requests recorded as
 * open are read through the {@link PullRequestReader} (the newest first, bounded and cached), and
 * a new state is stored. A pull request that cannot be read keeps its stored state and is
 * reported in `errors`.
 */
export async function refreshPullRequestStates(options: {
  entityRef: string;
  items: PromotionRecord[];
  reader: PullRequestReader;
  audit: PromotionAuditStore;
  logger?: LoggerService;
}): Promise<{ items: PromotionRecord[]; errors: SourceError[] }> {
  const { entityRef, items, reader, audit, logger } = options;
  const open = items
    .flatMap(i => i.pullRequests)
    .filter(pull => pull.state === 'open');
  if (open.length === 0) {
    return { items, errors: [] };
  }
  const reads = await reader.read(open);
  const errors: SourceError[] = reads.flatMap(read =>
    read.error
      ? [
          {
            ...read.error,
            message: `${read.error.message}; showing the state recorded at the attempt`,
          },
        ]
      : [],
  );
  const changed = new Map<string, PromotionPullRequest['state']>(
    reads.flatMap(read =>
      read.status && read.status.state !== 'open'
        ? [[read.url, read.status.state] as const]
        : [],
    ),
  );
  if (changed.size > 0) {
    try {
      await audit.updatePullRequestStates(entityRef, changed);
    } catch (error) {
      // the states read are still shown; the next listing stores them
      logger?.warn(
        `Could not store pull request states of ${entityRef}: ${error}`,
      );
    }
  }
  return {
    items: items.map(item => ({
      ...item,
      pullRequests: item.pullRequests.map(pull => {
        const state = changed.get(pull.url);
        return pull.state === 'open' && state ? { ...pull, state } : pull;
      }),
    })),
    errors,
  };
}
