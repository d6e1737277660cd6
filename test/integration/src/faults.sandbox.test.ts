import type {
  EntityGitopsState,
  SourceError,
  SourceErrorKind,
} from '@backstage-gitops/plugin-gitops-common';
import {
  Sandbox,
  startIsolatedSandbox,
  TargetFaults,
} from '@internal/gitops-sandbox';
import {
  cells,
  eventually,
  GitopsBackend,
  startGitopsBackend,
} from './gitopsBackend';

jest.setTimeout(60_000);

// Small supervision values so every fault shows and heals within seconds.
const TIMEOUT_MS = 1000;
const STALL_TIMEOUT_S = 2.5;
const BOOKMARK_INTERVAL_MS = 250;
/** How long a fault may take to show in the API, and a source to heal once it is cleared. */
const DETECT_MS = 8_000;
const RECOVER_MS = 10_000;

const SERVICE = 'checkout-api';
/** The clusters of checkout-api, by the instance that reads them. */
const CLUSTERS: Record<'core' | 'edge', string[]> = {
  core: ['dev-1', 'staging-1', 'prod-eu-1'],
  edge: ['prod-us-1'],
};
type Instance = keyof typeof CLUSTERS;
const other = (instance: Instance): Instance =>
  instance === 'core' ? 'edge' : 'core';

function cellOf(state: EntityGitopsState, cluster: string) {
  return cells(state).find(c => c.cluster === cluster);
}

/** The cell has the Application's data from its instance. */
function hasData(state: EntityGitopsState, instance: Instance) {
  return CLUSTERS[instance].every(cluster => {
    const cell = cellOf(state, cluster);
    return (
      cell?.application?.instance === instance &&
      cell.application.name === `${SERVICE}-${cluster}` &&
      cell.sync !== 'Unknown' &&
      cell.liveImages.length > 0
    );
  });
}

function instanceErrors(state: EntityGitopsState, instance: Instance) {
  return state.errors.filter(e => e.instance === instance);
}

describe('deployment state under source faults', () => {
  let sandbox: Sandbox;
  let backend: GitopsBackend;

  beforeAll(async () => {
    sandbox = await startIsolatedSandbox('gitops-integration', {
      bookmarkIntervalMs: BOOKMARK_INTERVAL_MS,
      control: false,
    });
    backend = await startGitopsBackend(sandbox, {
      gitops: {
        watch: {
          stallTimeout: { seconds: STALL_TIMEOUT_S },
          pollInterval: { seconds: 1 },
          established: { seconds: 1 },
        },
        signals: { debounce: { milliseconds: 50 } },
      },
      instance: { timeout: { milliseconds: TIMEOUT_MS } },
    });
    await healthy();
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
  });

  async function state(name = SERVICE): Promise<EntityGitopsState> {
    const res = await backend.getState(name);
    expect(res.status).toBe(200);
    return res.body;
  }

  /** Both instances deliver checkout-api and nothing is reported failing. */
  function healthy(timeoutMs = RECOVER_MS) {
    return eventually(
      'both instances healthy',
      async () => {
        const s = await state();
        return s.errors.length === 0 && hasData(s, 'core') && hasData(s, 'edge')
          ? s
          : undefined;
      },
      timeoutMs,
    );
  }

  afterEach(async () => {
    sandbox.faults.reset();
  });

  /** The current image of an Application, to restore it after a test changed it. */
  function appOf(instance: Instance, cluster: string) {
    return sandbox.stores[instance].get(
      'applications',
      'argocd',
      `${SERVICE}-${cluster}`,
    )!;
  }

  type FaultCase = {
    name: string;
    instance: Instance;
    kind: SourceErrorKind;
    message: RegExp;
    faults: Partial<TargetFaults>;
    /** Open watches and streams end (as after an apiserver restart), so the source reconnects. */
    reconnect?: boolean;
    /** The error must stay reported for this long while the fault lasts (across retries). */
    persistsMs?: number;
  };

  const cases: FaultCase[] = [
    ...(['core', 'edge'] as const).flatMap((instance): FaultCase[] => [
      {
        name: 'down (connection refused)',
        instance,
        kind: 'unreachable',
        message: /is unreachable/,
        faults: { down: 'refuse' },
      },
      {
        name: 'slower than the request timeout',
        instance,
        kind: 'timeout',
        message: /did not answer in time/,
        faults: { latencyMs: 4 * TIMEOUT_MS },
        reconnect: true,
      },
      {
        name: 'rejecting the token (401, expired)',
        instance,
        kind: 'unauthorized',
        message: /rejected the token \(401\)/,
        faults: { tokenExpired: true },
        reconnect: true,
      },
      {
        name: 'denying access (403)',
        instance,
        kind: 'forbidden',
        message: /denied access to Applications \(403\)/,
        faults: { forbidden: true },
        reconnect: true,
      },
    ]),
    ...(['core', 'edge'] as const).map(
      (instance): FaultCase => ({
        name: 'failing with 503 (server error)',
        instance,
        kind: 'unreachable',
        message: /answered HTTP 503/,
        faults: { serverError: 503 },
        reconnect: true,
      }),
    ),
    {
      name: 'stalling its watch',
      instance: 'core',
      kind: 'stalled',
      message: /the watch delivered nothing for \d+ s/,
      faults: { stallWatches: true },
      // the watchdog's re-list must not clear it: only a delivering watch does
      persistsMs: STALL_TIMEOUT_S * 1000 + 500,
    },
  ];

  it.each(cases)(
    '$instance $name: others still served, $kind reported, recovers without restart',
    async ({ instance, kind, message, faults, reconnect, persistsMs }) => {
      const before = await healthy();
      const healthyCluster = CLUSTERS[other(instance)][0];
      const failingCluster = CLUSTERS[instance][0];

      sandbox.setFaults(instance, faults);
      if (reconnect) {
        sandbox.instances[instance].kube?.closeWatches();
        sandbox.instances[instance].argocd?.closeStreams();
      }

      const failing = await eventually(
        `${instance} reported as ${kind}`,
        async () => {
          const s = await state();
          return instanceErrors(s, instance).some(e => e.kind === kind)
            ? s
            : undefined;
        },
        DETECT_MS,
      );
      // (a) the other instance's data is still served, unchanged
      expect(hasData(failing, other(instance))).toBe(true);
      expect(cellOf(failing, healthyCluster)).toEqual(
        cellOf(before, healthyCluster),
      );
      expect(instanceErrors(failing, other(instance))).toEqual([]);
      // (b) the failing instance is listed with its kind and a readable message
      const error = instanceErrors(failing, instance).find(
        e => e.kind === kind,
      )!;
      expect(error).toMatchObject<Partial<SourceError>>({
        source: `instance:${instance}`,
        instance,
        kind,
      });
      expect(error.message).toMatch(message);
      expect(cellOf(failing, failingCluster)?.error).toMatchObject({
        kind,
        cluster: failingCluster,
      });

      const otherKindsSeen: string[] = [];
      for (const until = Date.now() + (persistsMs ?? 0); Date.now() < until; ) {
        const kinds = instanceErrors(await state(), instance).map(e => e.kind);
        if (kinds.join() !== kind) otherKindsSeen.push(kinds.join() || 'none');
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      expect(otherKindsSeen).toEqual([]);

      // a change made while the source fails shows once it recovers
      const app = appOf(instance, failingCluster);
      const health =
        app.status.health.status === 'Degraded' ? 'Healthy' : 'Degraded';
      sandbox.setApplicationStatus(instance, 'argocd', app.metadata.name, {
        health: { status: health },
      });

      // (c) it recovers once the fault is cleared, without a restart
      sandbox.faults.reset(instance);
      const recovered = await eventually(
        `${instance} recovered`,
        async () => {
          const s = await state();
          return instanceErrors(s, instance).length === 0 &&
            hasData(s, instance) &&
            cellOf(s, failingCluster)?.health === health
            ? s
            : undefined;
        },
        RECOVER_MS,
      );
      expect(cellOf(recovered, failingCluster)?.error).toBeUndefined();
      expect(recovered.errors).toEqual([]);
    },
  );

  // Argo CD's stream sends no bookmarks, so a silent stream may just be a quiet instance: the
  // source re-lists after the stall timeout instead of reporting a failure, and stays current.
  it('edge stalling its stream: re-listed after the stall timeout, changes still shown, nothing reported', async () => {
    await healthy();
    const cluster = CLUSTERS.edge[0];
    const app = appOf('edge', cluster);
    const health =
      app.status.health.status === 'Degraded' ? 'Healthy' : 'Degraded';
    sandbox.setFaults('edge', { stallWatches: true });
    sandbox.instances.edge.argocd!.closeStreams();

    sandbox.setApplicationStatus('edge', 'argocd', app.metadata.name, {
      health: { status: health },
    });
    const changed = await eventually(
      `${cluster} ${health} through a re-list`,
      async () => {
        const s = await state();
        return cellOf(s, cluster)?.health === health ? s : undefined;
      },
      STALL_TIMEOUT_S * 1000 + DETECT_MS,
    );
    expect(changed.errors).toEqual([]);
    expect(hasData(changed, 'core')).toBe(true);
  });

  it('core answering 410 Gone to its watch: reported while it re-lists, then healthy', async () => {
    await healthy();
    // latency makes the re-list take long enough to see the gone state
    sandbox.setFaults('core', { forceGone: 1, latencyMs: TIMEOUT_MS / 2 });
    sandbox.instances.core.kube!.closeWatches();

    const failing = await eventually(
      'core reported as gone',
      async () => {
        const s = await state();
        return instanceErrors(s, 'core').some(e => e.kind === 'gone')
          ? s
          : undefined;
      },
      DETECT_MS,
    );
    expect(hasData(failing, 'edge')).toBe(true);
    // while re-listing, core's last data is still served beside the error
    expect(hasData(failing, 'core')).toBe(true);
    expect(instanceErrors(failing, 'core')[0]).toMatchObject({
      source: 'instance:core',
      kind: 'gone',
      message: expect.stringMatching(
        /expired the resource version \(410\); re-listing/,
      ),
    });

    sandbox.faults.reset('core');
    await healthy();
    expect(sandbox.faults.get('core').forceGone).toBe(0);
  });

  it.each(['core', 'edge'] as const)(
    'a malformed Application on %s: its siblings still served, malformed reported, healed by a fix',
    async instance => {
      await healthy();
      const cluster = CLUSTERS[instance][0];
      const app = appOf(instance, cluster);
      const images = app.status.summary.images;

      sandbox.setApplicationStatus(instance, 'argocd', app.metadata.name, {
        summary: { images: 'not-a-list' },
      });
      const failing = await eventually(
        'the malformed Application reported',
        async () => {
          const s = await state();
          return s.errors.some(e => e.kind === 'malformed') ? s : undefined;
        },
        DETECT_MS,
      );
      expect(failing.errors).toEqual([
        expect.objectContaining({
          source: `instance:${instance}`,
          instance,
          kind: 'malformed',
          message: expect.stringMatching(
            new RegExp(
              `${app.metadata.name} is malformed: status.summary.images is not a list`,
            ),
          ),
        }),
      ]);
      expect(hasData(failing, other(instance))).toBe(true);
      // the instance's other Applications are unaffected
      for (const c of CLUSTERS[instance].slice(1)) {
        expect(cellOf(failing, c)?.application?.instance).toBe(instance);
      }
      expect(cellOf(failing, cluster)?.application).toBeUndefined();
      // other entities are not told about it
      expect((await state('storefront-web')).errors).toEqual([]);

      sandbox.setApplicationStatus(instance, 'argocd', app.metadata.name, {
        summary: { images },
      });
      await healthy();
    },
  );

  it('answers 404 for an unknown entity', async () => {
    const res = await backend.getState('no-such-service');
    expect(res.status).toBe(404);
    expect(res.body.error?.name).toBe('NotFoundError');
  });

  it('answers not-configured for an entity without GitOps annotations', async () => {
    const res = await backend.getState('commerce', 'system');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      entityRef: 'system:default/commerce',
      status: 'not-configured',
      environments: [],
      errors: [],
    });
  });

  it.each(['core', 'edge'] as const)(
    'shows a status change on %s within 2 s',
    async instance => {
      await healthy();
      const cluster = CLUSTERS[instance][0];
      const app = appOf(instance, cluster);
      const health =
        app.status.health.status === 'Degraded' ? 'Healthy' : 'Degraded';

      sandbox.setApplicationStatus(instance, 'argocd', app.metadata.name, {
        health: { status: health },
      });
      const changed = await eventually(
        `${cluster} ${health} in the API`,
        async () => {
          const s = await state();
          return cellOf(s, cluster)?.health === health ? s : undefined;
        },
        2_000,
      );
      expect(cellOf(changed, cluster)?.application?.instance).toBe(instance);
    },
  );
});
