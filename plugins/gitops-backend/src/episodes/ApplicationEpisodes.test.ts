import { fullApplication } from '../__testUtils__/applications';
import { projectApplication } from '../sources/projectApplication';
import { SlimApplication } from '../sources/types';
import { ApplicationEpisodes, EpisodeEvent } from './ApplicationEpisodes';

const app = (
  options: { sync?: string; health?: string; resourceVersion?: string } = {},
): SlimApplication =>
  projectApplication(
    fullApplication({
      name: 'checkout-api-prod-us-1',
      service: 'checkout-api',
      cluster: 'prod-us-1',
      version: '1.0.0',
      ...options,
    }),
  );

const failed = (message: string, finishedAt: string): SlimApplication => ({
  ...app(),
  operation: { phase: 'Failed', message },
  lastSyncedAt: finishedAt,
});

const key = {
  instance: 'core',
  namespace: 'argocd',
  name: 'checkout-api-prod-us-1',
};

describe('ApplicationEpisodes', () => {
  it('remembers since when an Application is drifted or Degraded, and tells listeners once per episode', () => {
    let now = 1_000;
    const episodes = new ApplicationEpisodes({ now: () => now });
    const events: EpisodeEvent[] = [];
    episodes.onEvent(e => events.push(e));

    episodes.observe({ instance: 'core', after: app() });
    expect(episodes.since('drift', key)).toBeUndefined();

    now = 2_000;
    const drifted = app({ sync: 'OutOfSync' });
    episodes.observe({ instance: 'core', before: app(), after: drifted });
    now = 3_000;
    const degraded = app({ sync: 'OutOfSync', health: 'Degraded' });
    episodes.observe({ instance: 'core', before: drifted, after: degraded });
    expect(episodes.since('drift', key)).toBe(2_000);
    expect(episodes.since('degraded', key)).toBe(3_000);

    now = 4_000;
    episodes.observe({ instance: 'core', before: degraded, after: app() });
    expect(episodes.since('drift', key)).toBeUndefined();
    expect(
      events.map(e =>
        e.type === 'sync-failed' ? e.type : `${e.kind}:${e.type}`,
      ),
    ).toEqual([
      'drift:started',
      'degraded:started',
      'drift:ended',
      'degraded:ended',
    ]);
    expect(events[2]).toMatchObject({ since: 2_000, at: 4_000 });
  });

  it('counts each new failed sync operation, keeps 24 hours, and ignores re-lists of the same failure', () => {
    const day = 24 * 60 * 60 * 1000;
    let now = Date.parse('2026-12-08T12:00:00Z');
    const episodes = new ApplicationEpisodes({ now: () => now });

    const first = failed('hook failed', '2026-12-08T11:00:00Z');
    episodes.observe({ instance: 'core', after: first });
    episodes.observe({ instance: 'core', before: first, after: { ...first } });
    const retry = failed(
      'one or more objects failed to apply',
      '2026-12-08T11:59:00Z',
    );
    episodes.observe({ instance: 'core', before: first, after: retry });
    // an old failure seen on the first list is not counted as recent
    episodes.observe({
      instance: 'core',
      after: {
        ...failed('old', '2026-12-01T00:00:00Z'),
        metadata: { ...first.metadata, name: 'other' },
      },
    });

    expect(episodes.syncFailures(now - day).map(f => f.message)).toEqual([
      'hook failed',
      'one or more objects failed to apply',
    ]);
    now += day + 1;
    expect(episodes.syncFailures(0)).toEqual([]);
  });
});
