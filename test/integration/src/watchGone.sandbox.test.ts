import type { EntityGitopsState } from '@backstage-gitops/plugin-gitops-common';
import { Sandbox, startIsolatedSandbox } from '@internal/gitops-sandbox';
import {
  cells,
  eventually,
  GitopsBackend,
  startGitopsBackend,
} from './gitopsBackend';

jest.setTimeout(90_000);

const SERVICE = 'checkout-api';
const CORE_CLUSTERS = ['dev-1', 'staging-1', 'prod-eu-1'];
/** How long the apiserver answers every watch with 410 while the relists are counted. */
const WINDOW_MS = 12_000;
/**
 * Lists a backed-off informer may make in the window: one per watch, the delay between them
 * doubling from 1 s (jittered down to half) up to 30 s, so at most about 1 + log2(12) + slack.
 * A relist loop without backoff makes hundreds.
 */
const MAX_LISTS = 8;
/** The informer waits out its current backoff (at most 30 s) before it watches again. */
const RECOVER_MS = 35_000;

function coreServed(state: EntityGitopsState) {
  return CORE_CLUSTERS.every(cluster =>
    cells(state).some(
      c => c.cluster === cluster && c.application?.instance === 'core',
    ),
  );
}

describe('a Kubernetes watch answered with 410 Gone every time', () => {
  let sandbox: Sandbox;
  let backend: GitopsBackend;

  beforeAll(async () => {
    sandbox = await startIsolatedSandbox('gitops-gone', {
      bookmarkIntervalMs: 250,
      control: false,
    });
    backend = await startGitopsBackend(sandbox, {
      // a short stall timeout: a watchdog restart must not reset the backoff into a storm
      gitops: {
        watch: { stallTimeout: { seconds: 2 }, established: { seconds: 1 } },
        signals: { debounce: { milliseconds: 50 } },
      },
      // generous: a list or watch that times out on a loaded machine is another fault
      instance: { timeout: { milliseconds: 5000 } },
    });
    await healthy();
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
  });

  async function state(): Promise<EntityGitopsState> {
    const res = await backend.getState(SERVICE);
    expect(res.status).toBe(200);
    return res.body;
  }

  function healthy(timeoutMs = 15_000) {
    return eventually(
      'core healthy',
      async () => {
        const s = await state();
        return s.errors.length === 0 && coreServed(s) ? s : undefined;
      },
      timeoutMs,
    );
  }

  it('relists with a bounded backoff, keeps serving the last data with gone reported, then recovers', async () => {
    const kube = sandbox.instances.core.kube!;
    sandbox.setFaults('core', { forceGone: Number.MAX_SAFE_INTEGER });
    const before = { ...kube.verbCounts };
    kube.closeWatches();

    const gone = await eventually(
      'core reported as gone',
      async () => {
        const s = await state();
        return s.errors.some(e => e.instance === 'core' && e.kind === 'gone')
          ? s
          : undefined;
      },
      8_000,
    );
    expect(coreServed(gone)).toBe(true);

    const start = { ...kube.verbCounts };
    const kinds = new Set<string>();
    for (const until = Date.now() + WINDOW_MS; Date.now() < until; ) {
      const s = await state();
      expect(coreServed(s)).toBe(true);
      s.errors
        .filter(e => e.instance === 'core')
        .forEach(e => kinds.add(e.kind));
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    const lists = kube.verbCounts.list - start.list;
    const watches = kube.verbCounts.watch - start.watch;
    // eslint-disable-next-line no-console
    console.log(
      `410 on every watch for ${WINDOW_MS} ms: ${lists} lists, ${watches} watches (before the window: ${
        start.list - before.list
      } lists)`,
    );
    // it keeps trying (it does not give up), but with a bounded rate
    expect(lists).toBeGreaterThanOrEqual(2);
    expect(lists).toBeLessThanOrEqual(MAX_LISTS);
    expect(watches).toBeLessThanOrEqual(MAX_LISTS + 1);
    expect([...kinds]).toEqual(['gone']);

    sandbox.faults.reset('core');
    await healthy(RECOVER_MS);
  });
});
