import { valuesChecks } from './valuesChecks';

/** Values close to a common Helm starter chart's (`helm create`), with a case's changes. */
function checks(values: Record<string, unknown>, chartDefaultsUnknown = false) {
  const outcomes = valuesChecks(
    {
      values: {
        image: { repository: 'ghcr.io/acme/api', tag: '1.4.2' },
        replicaCount: 2,
        probes: { readiness: { path: '/ready' }, liveness: { path: '/live' } },
        resources: {
          requests: { cpu: '100m', memory: '128Mi' },
          limits: { cpu: '500m', memory: '256Mi' },
        },
        ...values,
      },
      files: ['values.yaml'],
      chartDefaultsUnknown,
      unreadFileParameters: [],
    },
    { tagKey: 'image.tag' },
  );
  return Object.fromEntries(outcomes.map(o => [o.id, o]));
}

describe('valuesChecks', () => {
  it('passes the standard', () => {
    const all = checks({});
    expect(
      ['image-tag', 'probes', 'resources', 'replicas'].map(
        id => all[id].result,
      ),
    ).toEqual(['pass', 'pass', 'pass', 'pass']);
  });

  // https://kubernetes.io/docs/concepts/containers/images/: avoid :latest in production, it is
  // harder to track which version runs and to roll back
  it('fails latest and empty tags', () => {
    expect(checks({ image: { tag: 'latest' } })['image-tag']).toMatchObject({
      result: 'fail',
      reason: 'image.tag is latest, a moving tag',
    });
    expect(checks({ image: { tag: '' } })['image-tag']).toMatchObject({
      result: 'fail',
      reason: 'not set: image.tag',
    });
  });

  it('is unknown about an unset key when the packaged chart’s defaults are not read', () => {
    expect(checks({ image: {} }, true)['image-tag'].result).toBe('unknown');
  });

  // https://kubernetes.io/docs/concepts/containers/images/#image-names: image@sha256:<digest>
  it('passes a digest in image.digest or in the tag, fails a tag alone', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(
      checks({ image: { tag: '1.4.2', digest } })['image-digest'].result,
    ).toBe('pass');
    expect(
      checks({ image: { tag: `1.4.2@${digest}` } })['image-digest'].result,
    ).toBe('pass');
    expect(checks({})['image-digest']).toMatchObject({
      result: 'fail',
      reason: 'neither image.digest nor image.tag holds a sha256 digest',
    });
  });

  it('fails a disabled probe and missing probes; reads readinessProbe/livenessProbe keys too', () => {
    expect(
      checks({
        probes: { readiness: { enabled: false }, liveness: { path: '/' } },
      }).probes,
    ).toMatchObject({ result: 'fail', reason: 'readiness probe disabled' });
    expect(checks({ probes: undefined }).probes.result).toBe('fail');
    expect(
      checks({
        probes: undefined,
        readinessProbe: { httpGet: { path: '/' } },
        livenessProbe: { httpGet: { path: '/' } },
      }).probes.result,
    ).toBe('pass');
  });

  // https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
  it('fails missing limits', () => {
    expect(
      checks({ resources: { requests: { cpu: '100m', memory: '128Mi' } } })
        .resources,
    ).toMatchObject({
      result: 'fail',
      reason: 'not set: resources.limits.cpu, resources.limits.memory',
    });
  });

  // https://kubernetes.io/docs/tasks/run-application/configure-pdb/: maxUnavailable 0 or
  // minAvailable at the replica count blocks voluntary evictions such as node drains
  it('fails one replica, an HPA below 2 and a budget that blocks evictions', () => {
    expect(checks({ replicaCount: 1 }).replicas.result).toBe('fail');
    expect(
      checks({ autoscaling: { enabled: true, minReplicas: 1, maxReplicas: 5 } })
        .replicas.result,
    ).toBe('fail');
    expect(
      checks({ podDisruptionBudget: { enabled: true, maxUnavailable: 0 } })
        .replicas.reason,
    ).toBe('podDisruptionBudget.maxUnavailable is 0: no pod can be evicted');
    expect(
      checks({ podDisruptionBudget: { enabled: true, minAvailable: 2 } })
        .replicas.result,
    ).toBe('fail');
    expect(
      checks({
        autoscaling: { enabled: true, minReplicas: 2, maxReplicas: 6 },
        podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      }).replicas,
    ).toMatchObject({
      result: 'pass',
      reason: 'autoscaling.minReplicas is 2, with a disruption budget',
    });
  });
});
