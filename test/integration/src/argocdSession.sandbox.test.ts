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
const SESSION_SECONDS = 3;

const cellOf = (state: EntityGitopsState) =>
  cells(state).find(c => c.cluster === CLUSTER);

describe('an Argo CD instance signed in with username and password', () => {
  let sandbox: Sandbox;
  let backend: GitopsBackend;

  beforeAll(async () => {
    sandbox = await startIsolatedSandbox('gitops-session', {
      bookmarkIntervalMs: 250,
      control: false,
      argocdSessionSeconds: SESSION_SECONDS,
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
      configure: config => {
        const edge = config.gitops.instances.find(
          (i: { name: string }) => i.name === 'edge',
        );
        delete edge.token;
        Object.assign(edge, sandbox.accounts.argocd.edge);
      },
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

  it('reads state with its session and keeps reading after the session expired', async () => {
    const argocd = sandbox.instances.edge.argocd!;
    await eventually(
      'edge read with a session',
      async () => {
        const s = await state();
        return s.errors.length === 0 && cellOf(s)?.application ? s : undefined;
      },
      15_000,
    );
    expect(argocd.sessionsOpened()).toBe(1);

    // outlive the first session, then make the source list and stream again
    await new Promise(resolve =>
      setTimeout(resolve, (SESSION_SECONDS + 1) * 1000),
    );
    argocd.closeStreams();
    const app = sandbox.stores.edge.get('applications', 'argocd', APP)!;
    const health =
      app.status.health.status === 'Degraded' ? 'Healthy' : 'Degraded';
    sandbox.setApplicationStatus('edge', 'argocd', APP, {
      health: { status: health },
    });

    const after = await eventually(
      'the change read with a new session',
      async () => {
        const s = await state();
        return cellOf(s)?.health === health ? s : undefined;
      },
      10_000,
    );
    expect(after.errors).toEqual([]);
    expect(argocd.sessionsOpened()).toBeGreaterThanOrEqual(2);
  });
});
