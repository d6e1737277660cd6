import { mockServices } from '@backstage/backend-test-utils';
import { EventsServiceSubscribeOptions } from '@backstage/plugin-events-node';
import {
  PULL_REQUEST_TOPIC,
  subscribePullRequestEvents,
} from './pullRequestEvents';

describe('subscribePullRequestEvents', () => {
  it('refreshes the pull request a github.pull_request event names', async () => {
    let subscription: EventsServiceSubscribeOptions | undefined;
    const refreshed: string[] = [];
    await subscribePullRequestEvents({
      events: {
        subscribe: async options => {
          subscription = options;
        },
      },
      tracker: {
        refresh: async url => {
          refreshed.push(url);
          return true;
        },
      },
      logger: mockServices.logger.mock(),
    });
    expect(subscription?.topics).toEqual([PULL_REQUEST_TOPIC]);

    await subscription!.onEvent({
      topic: PULL_REQUEST_TOPIC,
      eventPayload: {
        action: 'closed',
        pull_request: {
          html_url: 'https://github.com/acme/payments-gitops/pull/7',
          merged: true,
        },
      },
    });
    await subscription!.onEvent({
      topic: PULL_REQUEST_TOPIC,
      eventPayload: { zen: 'ping' },
    });

    expect(refreshed).toEqual([
      'https://github.com/acme/payments-gitops/pull/7',
    ]);
  });
});
