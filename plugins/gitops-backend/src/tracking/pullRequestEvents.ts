import { LoggerService } from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { PromotionTracker } from './PromotionTracker';

/** The topic `@backstage/plugin-events-backend-module-github` publishes pull request webhooks on. */
export const PULL_REQUEST_TOPIC = 'github.pull_request';

/**
 * Refreshes a tracked pull request as soon as GitHub says it changed (merged, closed, a new
 * head), when GitHub webhooks reach Backstage's events system; without them polling alone finds
 * the change. Events of pull requests the tracker does not follow are ignored.
 */
export async function subscribePullRequestEvents(options: {
  events: Pick<EventsService, 'subscribe'>;
  tracker: Pick<PromotionTracker, 'refresh'>;
  logger: LoggerService;
}): Promise<void> {
  const { events, tracker, logger } = options;
  await events.subscribe({
    id: 'gitops-promotion-tracking',
    topics: [PULL_REQUEST_TOPIC],
    async onEvent({ eventPayload }) {
      const url = (eventPayload as { pull_request?: { html_url?: unknown } })
        ?.pull_request?.html_url;
      if (typeof url !== 'string') return;
      try {
        await tracker.refresh(url);
      } catch (error) {
        logger.warn(
          `Promotion tracking: could not refresh ${url} on its webhook: ${error}`,
        );
      }
    },
  });
}
