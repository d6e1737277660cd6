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
/** The cluster of checkout-api that the edge Argo CD instance (REST list + stream) reads. */
const CLUSTER = 'prod-us-1';
const APP = `${SERVICE}-${CLUSTER}`;
const NEW_TOKEN = 'sandbox-edge-token-rotated';

const cellOf = (state: EntityGitopsState) =>
  cells(state).find(c => c.cluster === CLUSTER);

describe('an Argo CD token that expires mid-stream', () => {
  let sandbox: Sandbox;
  let backend: GitopsBackend;

  beforeAll(async () => {
    sandbox = await startIsolatedSandbox('gitops-token', {
      // core's watch gets bookmarks, so it never looks stalled while edge is tested
      bookmarkIntervalMs: 250,
      control: false,
    });
    backend = await startGitopsBackend(sandbox, {
      gitops: {
        watch: {
          stallTimeout: { seconds: 5 },
          pollInterval: { seconds: 1 },
          established: { seconds: 1 },
        },
        signals: { debounce: { milliseconds: 50 } },
      },
      instance: { timeout: { milliseconds: 5000 } },
    });
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

  const edgeErrors = (s: EntityGitopsState) =>
    s.errors.filter(e => e.instance === 'edge');

  it('reports the rejected token, keeps the last data marked, and recovers once the config has the new one', async () => {
    const before = await eventually(
      'edge healthy',
      async () => {
        const s = await state();
        return s.errors.length === 0 && cellOf(s)?.application ? s : undefined;
      },
      15_000,
    );
    const argocd = sandbox.instances.edge.argocd!;

    // the account's token is rotated in Argo CD while the stream is open; the stream ends
    argocd.rotateToken(sandbox.tokens.argocd.edge, NEW_TOKEN);
    argocd.closeStreams();

    const failing = await eventually(
      'edge reported as unauthorized',
      async () => {
        const s = await state();
        return edgeErrors(s).some(e => e.kind === 'unauthorized')
          ? s
          : undefined;
      },
      10_000,
    );
    expect(edgeErrors(failing)).toEqual([
      expect.objectContaining({
        source: 'instance:edge',
        instance: 'edge',
        kind: 'unauthorized',
        message: expect.stringMatching(/rejected the token \(401\)/),
      }),
    ]);
    // the last known data is still served, marked with the error
    expect(cellOf(failing)?.application).toEqual(cellOf(before)?.application);
    expect(cellOf(failing)?.error).toMatchObject({
      kind: 'unauthorized',
      cluster: CLUSTER,
    });

    // retrying with the old token does not recover it
    await new Promise(resolve => setTimeout(resolve, 3000));
    expect(edgeErrors(await state()).map(e => e.kind)).toEqual([
      'unauthorized',
    ]);

    // a change made meanwhile shows once the operator put the new token in the config
    const app = sandbox.stores.edge.get('applications', 'argocd', APP)!;
    const health =
      app.status.health.status === 'Degraded' ? 'Healthy' : 'Degraded';
    sandbox.setApplicationStatus('edge', 'argocd', APP, {
      health: { status: health },
    });
    backend.updateConfig(config => {
      config.gitops.instances.find(
        (i: { name: string }) => i.name === 'edge',
      ).token = NEW_TOKEN;
    });

    const recovered = await eventually(
      'edge recovered with the new token',
      async () => {
        const s = await state();
        return edgeErrors(s).length === 0 && cellOf(s)?.health === health
          ? s
          : undefined;
      },
      10_000,
    );
    expect(cellOf(recovered)?.error).toBeUndefined();
  });
});
