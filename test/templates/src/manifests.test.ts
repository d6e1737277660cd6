import { validateManifest } from './manifests';

describe('validateManifest', () => {
  it('rejects objects that break their schema', () => {
    expect(() =>
      validateManifest({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'demo' },
        spec: { replicas: 'two', selector: {}, template: {} },
      }),
    ).toThrow(/replicas/);
    expect(() =>
      validateManifest({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'demo' },
        spec: { project: 'default', source: { repoURL: 'x' } },
      }),
    ).toThrow(/destination/);
  });

  it('refuses kinds it has no schema for', () => {
    expect(() =>
      validateManifest({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's' },
      }),
    ).toThrow(/No schema for v1 Secret/);
  });
});
