import { ConfigReader } from '@backstage/config';
import { createMockDirectory } from '@backstage/backend-test-utils';

/**
 * The suite's usual shape of `gitops:` config: three environments, four clusters; `gitops` adds
 * other keys of the block.
 */
export function gitopsConfig(template?: object, gitops: object = {}) {
  return new ConfigReader({
    gitops: {
      environments: [
        { name: 'dev', clusters: ['dev-1'] },
        { name: 'staging', clusters: ['staging-1'] },
        { name: 'prod', clusters: ['prod-eu-1', 'prod-us-1'] },
      ],
      clusters: [
        { name: 'dev-1' },
        { name: 'staging-1' },
        { name: 'prod-eu-1' },
        { name: 'prod-us-1' },
      ],
      ...(template ? { template } : {}),
      ...gitops,
    },
  });
}

/** A workspace holding a minimal chart at ./chart, as fetch:plain leaves it. */
export function workspaceWithChart(
  chartVersion = '1.2.3',
  values = 'image:\n  repository: ""\n  tag: ""\n',
) {
  const dir = createMockDirectory();
  dir.setContent({
    chart: {
      'Chart.yaml': `apiVersion: v2\nname: golden-path\nversion: ${chartVersion}\n`,
      'values.yaml': values,
      templates: { 'deployment.yaml': 'kind: Deployment\n' },
    },
  });
  return dir;
}
