import { manifestChecks } from './manifestChecks';

/**
 * A Deployment shaped like the Pod Security Standards' restricted profile asks
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/), with a case's changes
 * to its container.
 */
function deployment(container: Record<string, unknown> = {}, pod = {}) {
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      template: {
        spec: {
          securityContext: { runAsNonRoot: true },
          ...pod,
          containers: [
            {
              name: 'web',
              image: 'ghcr.io/acme/web:1.0.0',
              readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
              livenessProbe: { httpGet: { path: '/live', port: 8080 } },
              securityContext: { readOnlyRootFilesystem: true },
              ...container,
            },
          ],
        },
      },
    },
  });
}
const NETWORK_POLICY =
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n';
const PDB =
  'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\nspec:\n  maxUnavailable: 1\n';

const byId = (manifests: string[]) =>
  Object.fromEntries(manifestChecks(manifests).map(o => [o.id, o]));

describe('manifestChecks', () => {
  it('passes a restricted Deployment with a NetworkPolicy and a PodDisruptionBudget', () => {
    const checks = byId([deployment(), NETWORK_POLICY, PDB]);
    expect(Object.values(checks).map(c => [c.id, c.result])).toEqual([
      ['manifest-probes', 'pass'],
      ['security-context', 'pass'],
      ['network-policy', 'pass'],
      ['pod-disruption-budget', 'pass'],
      ['no-plain-secrets', 'pass'],
    ]);
  });

  it('fails a container without a liveness probe', () => {
    expect(
      byId([deployment({ livenessProbe: undefined })])['manifest-probes'],
    ).toMatchObject({
      result: 'fail',
      reason: 'without probes: Deployment web container web (livenessProbe)',
    });
  });

  it('fails a container that may run as root or write its root filesystem', () => {
    expect(
      byId([deployment({ securityContext: {} }, { securityContext: {} })])[
        'security-context'
      ].reason,
    ).toBe(
      'not set: Deployment web container web (runAsNonRoot, readOnlyRootFilesystem)',
    );
    // the container's runAsNonRoot: false overrides the pod's true
    expect(
      byId([
        deployment({
          securityContext: {
            runAsNonRoot: false,
            readOnlyRootFilesystem: true,
          },
        }),
      ])['security-context'].result,
    ).toBe('fail');
  });

  it('fails a workload without a NetworkPolicy or PodDisruptionBudget', () => {
    const checks = byId([deployment()]);
    expect(checks['network-policy']).toMatchObject({
      result: 'fail',
      reason: 'no NetworkPolicy is rendered',
    });
    expect(checks['pod-disruption-budget'].result).toBe('fail');
  });

  it('is unknown about workload checks when nothing serving is rendered', () => {
    const checks = byId([NETWORK_POLICY]);
    expect(checks['manifest-probes']).toMatchObject({
      result: 'unknown',
      reason:
        'no Deployment, StatefulSet, DaemonSet, Rollout among the 1 rendered objects',
    });
    expect(checks['pod-disruption-budget'].result).toBe('unknown');
  });

  // https://argo-cd.readthedocs.io/en/stable/operator-manual/secret-management/: Git should hold
  // no plaintext Secret; ExternalSecret and SealedSecret objects are fine, as is a SOPS file
  it('fails a Secret with data, not an ExternalSecret, a SealedSecret or a SOPS-encrypted Secret', () => {
    const plain =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\n';
    expect(byId([deployment(), plain])['no-plain-secrets']).toMatchObject({
      result: 'fail',
      reason: 'renders Secret db with data',
    });
    const safe = [
      'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: db\n',
      'apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: db\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK\n',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: ENC[AES256_GCM,data:Tr7o=]\nsops:\n  version: 3.8.1\n',
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: empty\n',
    ];
    expect(byId([deployment(), ...safe])['no-plain-secrets'].result).toBe(
      'pass',
    );
  });
});
