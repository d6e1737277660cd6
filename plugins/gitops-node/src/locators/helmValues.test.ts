import type { SlimSource } from '../extensions/applicationSources';
import { mergedHelmValues } from './helmValues';

const files: Record<string, unknown> = {
  'apps/api/values.yaml': {
    image: { repository: 'ghcr.io/acme/api', tag: '' },
    resources: { limits: { cpu: '500m' } },
    podDisruptionBudget: { enabled: true },
  },
  'apps/api/envs/prod/values.yaml': {
    image: { tag: '1.0.0' },
    resources: { limits: { memory: '256Mi' } },
    podDisruptionBudget: null,
  },
  'values/api.yaml': { replicaCount: 3 },
};

const readFile = async (_source: SlimSource, path: string) =>
  path in files ? { blobSha: path, document: files[path] } : undefined;

describe('mergedHelmValues', () => {
  // Helm merges maps key by key, a later values file wins and null removes a chart default
  // (https://helm.sh/docs/chart_template_guide/values_files/); Argo CD's valuesObject and
  // parameters override the files (https://argo-cd.readthedocs.io/en/stable/user-guide/helm/)
  it('merges chart values < value files < inline values < parameters', async () => {
    const source: SlimSource = {
      repoURL: 'https://github.com/acme/gitops.git',
      path: 'apps/api',
      valueFiles: ['envs/prod/values.yaml', '$values/values/api.yaml'],
      helmValues: { image: { pullPolicy: 'Always' } },
      helmParameters: [{ name: 'image.tag', value: '1.0.1' }],
    };
    const values = {
      repoURL: 'https://github.com/acme/values.git',
      ref: 'values',
    };
    const merged = await mergedHelmValues(source, {
      sources: [source, values],
      readFile,
    });
    expect(merged).toEqual({
      values: {
        image: {
          repository: 'ghcr.io/acme/api',
          tag: '1.0.1',
          pullPolicy: 'Always',
        },
        resources: { limits: { cpu: '500m', memory: '256Mi' } },
        replicaCount: 3,
      },
      files: [
        'apps/api/values.yaml',
        'apps/api/envs/prod/values.yaml',
        'values/api.yaml',
      ],
      chartDefaultsUnknown: false,
      unreadFileParameters: [],
    });
  });

  it('says a packaged chart’s defaults are unknown and which file parameters are unread', async () => {
    const merged = await mergedHelmValues(
      {
        repoURL: 'oci://ghcr.io/acme/charts',
        chart: 'api',
        helmFileParameters: [{ name: 'config', path: 'config.json' }],
      },
      { sources: [], readFile },
    );
    expect(merged).toMatchObject({
      values: {},
      chartDefaultsUnknown: true,
      unreadFileParameters: ['config'],
    });
  });
});
