import { mockCredentials } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { PromotionResult } from '@backstage-gitops/plugin-gitops-common';
import { mockPromotionPlan } from '@backstage-gitops/plugin-gitops-common/testUtils';
import { PromotionService } from './PromotionService';
import { registerPromoteAction } from './registerPromoteAction';

describe('promote action', () => {
  it('promotes through the service with the caller credentials and summarizes the result', async () => {
    const result: PromotionResult = {
      id: 'p-1',
      outcome: 'dry-run',
      message: 'Would promote 1.5.0 to prod (prod-eu-1, prod-us-1)',
      pullRequests: [],
      superseded: [],
      plan: mockPromotionPlan({ service: 'storefront-web' }),
    };
    const promote = jest.fn(async () => result);
    const registry = actionsRegistryServiceMock();
    registerPromoteAction({
      actionsRegistry: registry,
      promotions: { promote } as unknown as PromotionService,
    });
    const credentials = mockCredentials.user('user:default/jane');

    const { output } = await registry.invoke({
      id: 'test:promote',
      input: {
        entityRef: 'component:default/storefront-web',
        from: 'staging',
        to: 'prod',
      },
      credentials,
    });

    expect(promote).toHaveBeenCalledWith(
      {
        entityRef: 'component:default/storefront-web',
        from: 'staging',
        to: 'prod',
        dryRun: true,
      },
      { credentials },
    );
    expect(output).toEqual({
      id: 'p-1',
      outcome: 'dry-run',
      message: result.message,
      pullRequests: [],
      gates: result.plan!.gates,
      diffs: ['-  tag: 1.4.2\n+  tag: 1.5.0\n'],
      remainingWaves: [],
    });
  });
});
