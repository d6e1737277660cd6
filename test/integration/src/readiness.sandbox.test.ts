import type { EntityReadiness } from '@backstage-gitops/plugin-gitops-common';
import { Sandbox, startIsolatedSandbox } from '@internal/gitops-sandbox';
import { eventually, GitopsBackend, startGitopsBackend } from './gitopsBackend';

jest.setTimeout(90_000);

/** `environment: id=result` for every check of an entity's readiness. */
function summary(readiness: EntityReadiness) {
  return Object.fromEntries(
    readiness.environments.map(r => [
      r.environment,
      Object.fromEntries(r.checks.map(c => [c.id, c.result])),
    ]),
  );
}

describe('readiness of the three seeded services through the readiness route', () => {
  let sandbox: Sandbox;
  let backend: GitopsBackend;

  beforeAll(async () => {
    sandbox = await startIsolatedSandbox('gitops-readiness', {
      control: false,
    });
    backend = await startGitopsBackend(sandbox);
  });

  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
  });

  /** The readiness once every read it started has filled its caches. */
  function readiness(name: string): Promise<EntityReadiness> {
    return eventually(`readiness of ${name}`, async () => {
      const res = await backend.getReadiness(name);
      expect(res.status).toBe(200);
      const body: EntityReadiness = res.body;
      const reasons = body.environments.flatMap(r =>
        r.checks.map(c => c.reason ?? ''),
      );
      expect(reasons.length).toBeGreaterThan(0);
      expect(reasons.filter(r => r.includes('being read'))).toEqual([]);
      return body;
    });
  }

  // What a reviewer reading the seeds concludes: the Helm services' values set a tag and requests
  // but no probes and no limits, dev runs one replica; dev and staging sync automatically with
  // prune and selfHeal, prod by hand; projects payments and web; checkout-api ignores only HPA
  // replicas; history holds earlier versions. Only edge (prod-us-1) renders manifests through
  // Argo CD's API: its Deployment has no probes, no securityContext, no NetworkPolicy or PDB.
  const APPLICATION = {
    'sync-automated': 'pass',
    'ignore-differences': 'pass',
    project: 'pass',
  };
  const AUTOMATED = {
    ...APPLICATION,
    'sync-prune': 'pass',
    'sync-self-heal': 'pass',
  };
  const NOT_RENDERED = Object.fromEntries(
    [
      'manifest-probes',
      'security-context',
      'network-policy',
      'pod-disruption-budget',
      'no-plain-secrets',
    ].map(id => [id, 'unknown']),
  );
  const PROD_RENDERED = {
    ...NOT_RENDERED,
    'manifest-probes': 'fail',
    'security-context': 'fail',
    'network-policy': 'fail',
    'pod-disruption-budget': 'fail',
  };
  const helmValues = (replicas: string) => ({
    'image-tag': 'pass',
    probes: 'fail',
    resources: 'fail',
    replicas,
  });
  const noValues = Object.fromEntries(
    ['image-tag', 'probes', 'resources', 'replicas'].map(id => [id, 'unknown']),
  );
  const helmService = {
    dev: {
      ...AUTOMATED,
      ...helmValues('fail'),
      ...NOT_RENDERED,
      rollback: 'pass',
    },
    staging: {
      ...AUTOMATED,
      ...helmValues('pass'),
      ...NOT_RENDERED,
      rollback: 'pass',
    },
    prod: {
      ...APPLICATION,
      ...helmValues('pass'),
      ...PROD_RENDERED,
      rollback: 'pass',
    },
  };

  it.each([
    ['checkout-api', helmService],
    ['storefront-web', helmService],
    [
      'payments-worker',
      {
        dev: { ...AUTOMATED, ...noValues, ...NOT_RENDERED, rollback: 'pass' },
        staging: {
          ...AUTOMATED,
          ...noValues,
          ...NOT_RENDERED,
          rollback: 'pass',
        },
        prod: {
          ...APPLICATION,
          ...noValues,
          ...PROD_RENDERED,
          rollback: 'pass',
        },
      },
    ],
  ])('%s', async (name, expected) => {
    const body = await readiness(name);
    expect(summary(body)).toEqual(expected);
    const prod = body.environments.find(r => r.environment === 'prod')!;
    expect(prod.checks.find(c => c.id === 'network-policy')?.reason).toBe(
      'prod-us-1: no NetworkPolicy is rendered',
    );
  });
});
