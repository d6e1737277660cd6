import { mockClusterState } from './mockClusterState';
import { mockEntityState } from './mockEntityState';
import { mockPromotionPlan } from './mockPromotionPlan';

describe('testUtils', () => {
  it('builds a healthy cell running a version, with overrides', () => {
    const cell = mockClusterState({
      environment: 'prod',
      cluster: 'prod-eu-1',
      version: '1.4.2',
      service: 'storefront-web',
      health: 'Degraded',
      source: { ref: 'release' },
    });
    expect(cell).toMatchObject({
      application: { instance: 'core', name: 'storefront-web-prod-eu-1' },
      sync: 'Synced',
      health: 'Degraded',
      liveImages: ['ghcr.io/acme/storefront-web:1.4.2'],
      liveVersion: '1.4.2',
      desiredVersion: '1.4.2',
      skew: false,
      desiredSource: {
        path: 'apps/storefront-web/envs/prod/values.yaml',
        ref: 'release',
        locator: { type: 'helm-values', key: 'image.tag' },
      },
    });
    expect(
      mockClusterState({ environment: 'dev', cluster: 'dev-1' }),
    ).not.toHaveProperty('liveVersion');
  });

  it('groups cells into environments in order and summarizes them', () => {
    const state = mockEntityState('component:default/checkout-api', [
      mockClusterState({
        environment: 'staging',
        cluster: 'staging-1',
        version: '1.5.0',
      }),
      mockClusterState({
        environment: 'prod',
        cluster: 'prod-eu-1',
        version: '1.4.2',
      }),
      mockClusterState({
        environment: 'prod',
        cluster: 'prod-us-1',
        version: '1.4.2',
      }),
    ]);
    expect(state.environments.map(e => e.name)).toEqual(['staging', 'prod']);
    expect(state.environments[1]).toMatchObject({
      version: '1.4.2',
      health: 'Healthy',
      sync: 'Synced',
      lag: { previousVersion: '1.5.0', behind: true },
    });
    expect(state.updatedAt).toBe(new Date(0).toISOString());
  });

  it('plans one wave editing the target values file', () => {
    const plan = mockPromotionPlan({ service: 'storefront-web' });
    expect(plan.waves[0].branch).toBe('gitops/promote/storefront-web/prod');
    expect(plan.waves[0].edits[0]).toMatchObject({
      path: 'apps/storefront-web/envs/prod/values.yaml',
      diff: '-  tag: 1.4.2\n+  tag: 1.5.0\n',
    });
  });
});
