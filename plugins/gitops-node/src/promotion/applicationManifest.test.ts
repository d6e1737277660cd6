import { executePromotion } from './executePromotion';
import { planPromotion } from './planPromotion';
import {
  cell,
  deps,
  entityState,
  FakeRepo,
  ownerContext,
  stateReader,
} from './__testUtils__/fakes';

const app = (name: string, tag: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
spec:
  source:
    repoURL: https://github.example/acme/charts.git
    path: charts/service
    helm:
      parameters:
        - name: image.tag
          value: "${tag}"
          forceString: true
`;

const APPS = [
  app('checkout-api-prod-eu-1', '1.4.2'),
  app('checkout-api-prod-us-1', '1.4.2'),
].join('---\n');

const request = {
  entityRef: 'component:default/checkout-api',
  from: 'staging',
  to: 'prod',
};

describe('promotion of a version in the Application itself', () => {
  it('edits the helm.parameters value of the one Application document found through its parent, and nothing else', async () => {
    const repo = new FakeRepo({ 'apps/checkout-api.yaml': APPS });
    const inManifest = (application: string) => ({
      path: 'apps/checkout-api.yaml',
      locator: {
        type: 'helm-parameter' as const,
        name: 'image.tag',
        application,
      },
    });
    const state = entityState([
      cell('staging', 'staging-1', { version: '1.5.0' }),
      cell('prod', 'prod-eu-1', {
        version: '1.4.2',
        source: inManifest('checkout-api-prod-eu-1'),
      }),
      cell('prod', 'prod-us-1', {
        version: '1.4.2',
        source: inManifest('checkout-api-prod-us-1'),
      }),
    ]);
    const d = deps(repo, stateReader(state));
    await expect(planPromotion(request, ownerContext, d)).rejects.toThrow(
      'apps/checkout-api.yaml sets the version of prod-eu-1 and of prod-us-1 in two places',
    );
    const plan = await planPromotion(
      { ...request, targets: ['prod-eu-1'] },
      ownerContext,
      d,
    );
    expect(plan.waves[0].edits).toEqual([
      expect.objectContaining({
        path: 'apps/checkout-api.yaml',
        fromVersion: '1.4.2',
        toVersion: '1.5.0',
        line: 13,
        field:
          'spec.source.helm.parameters[name=image.tag].value of Application checkout-api-prod-eu-1',
      }),
    ]);
    expect((await executePromotion(plan, ownerContext, d)).outcome).toBe(
      'opened',
    );
    expect(repo.fileAt(plan.waves[0].branch, 'apps/checkout-api.yaml')).toBe(
      APPS.replace('value: "1.4.2"', 'value: "1.5.0"'),
    );
    expect(APPS.indexOf('value: "1.4.2"')).toBeLessThan(
      APPS.indexOf('checkout-api-prod-us-1'),
    );
  });

  it('refuses with the reason the manifest was not found, writing nothing', async () => {
    const repo = new FakeRepo({ 'apps/checkout-api.yaml': APPS });
    const state = entityState([
      cell('staging', 'staging-1', { version: '1.5.0' }),
      cell('prod', 'prod-us-1', { version: '1.4.2' }),
      cell('prod', 'prod-eu-1', {
        version: '1.4.2',
        source: {
          path: 'charts/service',
          locator: {
            type: 'helm-parameter',
            name: 'image.tag',
            manifestNotFound:
              'the parent Application apps renders charts/apps with Helm',
          },
        },
      }),
    ]);
    await expect(
      planPromotion(request, ownerContext, deps(repo, stateReader(state))),
    ).rejects.toThrow(
      'The version comes from the helm.parameters item image.tag in the Application itself (it overrides every value file), and the Application manifest is not in a file the promotion can edit: the parent Application apps renders charts/apps with Helm',
    );
    expect(repo.writes).toBe(0);
  });
});
