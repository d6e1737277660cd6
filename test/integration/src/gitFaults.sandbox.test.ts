import type { EntityGitopsState } from '@backstage-gitops/plugin-gitops-common';
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

const WAIT_MS = 1000;

/**
 * GitHub failing while the instances are fine: every cell keeps what Argo CD reports (sync,
 * health, live version), the Git reads are listed as errors, and desired versions appear once
 * GitHub answers again. Each case uses a service not read before, as desired versions at a
 * synced commit are cached for good.
 */
describe('deployment state with GitHub failing', () => {
  let sandbox: Sandbox;
  let backend: GitopsBackend;

  beforeAll(async () => {
    sandbox = await startIsolatedSandbox('gitops-git-faults', {
      control: false,
    });
    backend = await startGitopsBackend(sandbox, {
      gitops: {
        git: {
          timeout: { seconds: 2 },
          requestWait: { milliseconds: WAIT_MS },
          branchCache: { seconds: 1 },
        },
      },
    });
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
  });

  afterEach(() => sandbox.faults.reset());

  async function state(name: string): Promise<EntityGitopsState> {
    const res = await backend.getState(name);
    expect(res.status).toBe(200);
    return res.body;
  }

  const cases: Array<{
    service: string;
    name: string;
    faults: Partial<TargetFaults>;
    kind: string;
    message: RegExp;
  }> = [
    {
      service: 'payments-worker',
      name: 'slower than the request waits',
      faults: { latencyMs: 3 * WAIT_MS },
      kind: 'timeout',
      message: new RegExp(
        `^No answer from \\S+/payments-gitops\\S* within ${WAIT_MS} ms; the desired version appears once the read completes$`,
      ),
    },
    {
      service: 'checkout-api',
      name: 'down (connection refused)',
      faults: { down: 'refuse' },
      kind: 'git',
      message:
        /^could not read apps\/checkout-api\/\S+ from acme\/payments-gitops: GitHub at \S+ is unreachable \(ECONNREFUSED\)$/,
    },
    {
      service: 'storefront-web',
      name: 'failing with 503',
      faults: { serverError: 503 },
      kind: 'git',
      message: /503|Service Unavailable/i,
    },
  ];

  it.each(cases)(
    '$name: instance data served, $kind reported per cell, desired versions once it answers',
    async ({ service, faults, kind, message }) => {
      sandbox.setFaults('github', faults);

      // Polls while the instances deliver their first lists and the reads fail; a failed read
      // is remembered briefly, and a retried one (503) outlasts the request's wait at first.
      const failing = await eventually(
        `${service} with every Git read reported as ${kind}`,
        async () => {
          const s = await state(service);
          return cells(s).every(c => c.application) &&
            s.errors.length > 0 &&
            s.errors.every(e => e.kind === kind)
            ? s
            : undefined;
        },
        15_000,
      );
      const failingCells = cells(failing);
      expect(failingCells.length).toBeGreaterThan(1);
      for (const cell of failingCells) {
        // what Argo CD reports does not depend on Git
        expect(cell.application).toBeDefined();
        expect(cell.sync).not.toBe('Unknown');
        expect(cell.liveVersion).toMatch(/\d/);
        expect(cell.desiredVersion).toBeUndefined();
      }
      expect(failing.errors.length).toBe(failingCells.length);
      for (const error of failing.errors) {
        expect(error).toMatchObject({
          source: expect.stringMatching(/^git:/),
          kind,
          message: expect.stringMatching(message),
        });
        expect(
          failingCells.some(
            c =>
              c.cluster === error.cluster &&
              c.environment === error.environment,
          ),
        ).toBe(true);
      }

      sandbox.faults.reset('github');
      const recovered = await eventually(
        `${service} desired versions after GitHub recovered`,
        async () => {
          const s = await state(service);
          return s.errors.length === 0 &&
            cells(s).every(c => c.desiredVersion !== undefined)
            ? s
            : undefined;
        },
        15_000,
      );
      expect(
        cells(recovered)
          .map(c => c.cluster)
          .sort(),
      ).toEqual(failingCells.map(c => c.cluster).sort());
    },
  );
});
