import { projectApplication } from './projectApplication';

const application = (helm: unknown) => ({
  metadata: { name: 'api', namespace: 'argocd' },
  spec: {
    source: { repoURL: 'https://github.com/acme/gitops', path: 'api', helm },
    destination: { name: 'in-cluster' },
  },
});

describe('projectHelm', () => {
  it('keeps the Helm settings that decide the rendered value', () => {
    expect(
      projectApplication(
        application({
          ignoreMissingValueFiles: true,
          parameters: [
            { name: 'image.tag', value: '20240101', forceString: true },
          ],
          fileParameters: [{ name: 'image.tag', path: 'files/tag.txt' }],
          values: 'image:\n  tag: 1.0.0\n',
          valuesObject: { image: { tag: '2.0.0' } },
        }),
      ).sources[0],
    ).toMatchObject({
      ignoreMissingValueFiles: true,
      helmParameters: [
        { name: 'image.tag', value: '20240101', forceString: true },
      ],
      helmFileParameters: [{ name: 'image.tag', path: 'files/tag.txt' }],
      // Argo CD takes valuesObject over values
      helmValues: { image: { tag: '2.0.0' } },
    });
    expect(
      projectApplication(application({ values: 'image:\n  tag: 1.0.0\n' }))
        .sources[0].helmValues,
    ).toEqual({ image: { tag: '1.0.0' } });
  });

  it('keeps no overrides beyond 256 bytes, saying so, so the projection stays in budget', () => {
    const source = projectApplication(
      application({
        parameters: Array.from({ length: 20 }, (_, i) => ({
          name: `env.VARIABLE_${i}`,
          value: 'a fairly long value',
        })),
      }),
    ).sources[0];
    expect(source.helmOverridesOmitted).toBe(true);
    expect(source.helmParameters).toBeUndefined();
    expect(
      projectApplication(application({ values: 'x'.repeat(5000) })).sources[0]
        .helmOverridesOmitted,
    ).toBe(true);
  });
});
