import { Manifest } from './manifests';
import { policyViolations } from './policy';

const labels = {
  'app.kubernetes.io/name': 'demo',
  'app.kubernetes.io/instance': 'demo',
  'app.kubernetes.io/version': '1.0.0',
  'app.kubernetes.io/managed-by': 'Helm',
};

function deployment(container: object, pod: object = {}): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'demo', labels },
    spec: {
      strategy: { type: 'RollingUpdate' },
      template: {
        spec: {
          securityContext: {
            runAsNonRoot: true,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          ...pod,
          containers: [{ name: 'demo', ...container }],
        },
      },
    },
  };
}

const compliant = {
  image: 'ghcr.io/acme/demo:1.0.0',
  resources: {
    requests: { cpu: '100m', memory: '64Mi' },
    limits: { cpu: '1', memory: '128Mi' },
  },
  readinessProbe: { httpGet: { path: '/', port: 80 } },
  livenessProbe: { httpGet: { path: '/', port: 80 } },
  securityContext: {
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
  },
};

describe('policyViolations', () => {
  it('passes a compliant Deployment', () => {
    expect(policyViolations([deployment(compliant)])).toEqual([]);
  });

  it('reports each missing safeguard', () => {
    const { readinessProbe, resources, securityContext, ...bare } = compliant;
    expect(
      policyViolations([
        deployment(
          {
            ...bare,
            image: 'ghcr.io/acme/demo:latest',
            resources: { requests: resources.requests },
          },
          { securityContext: {} },
        ),
      ]),
    ).toEqual([
      'Deployment/demo: pod runAsNonRoot is not true',
      'Deployment/demo: pod seccompProfile is not RuntimeDefault',
      'Deployment/demo container demo: image ghcr.io/acme/demo:latest has no immutable tag',
      'Deployment/demo container demo: resources.limits.cpu missing',
      'Deployment/demo container demo: resources.limits.memory missing',
      'Deployment/demo container demo: readinessProbe missing',
      'Deployment/demo container demo: readOnlyRootFilesystem is not true',
      'Deployment/demo container demo: allowPrivilegeEscalation is not false',
      'Deployment/demo container demo: capabilities do not drop ALL',
    ]);
  });

  it('reports an untagged image and missing labels', () => {
    const m = deployment({ ...compliant, image: 'ghcr.io/acme/demo' });
    m.metadata.labels = {};
    expect(policyViolations([m])).toEqual(
      expect.arrayContaining([
        'Deployment/demo: label app.kubernetes.io/name missing',
        'Deployment/demo container demo: image ghcr.io/acme/demo has no immutable tag',
      ]),
    );
  });
});
