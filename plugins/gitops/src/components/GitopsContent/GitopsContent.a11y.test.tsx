import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  PromotionRequest,
  PromotionResult,
} from '@backstage-gitops/plugin-gitops-common';
import {
  checkoutApiState,
  edgeUnreachableState,
} from '../../__testUtils__/states';
import {
  entityNamed,
  mockGitopsApi,
  renderWithEntity,
} from '../../__testUtils__/renderGitops';
import { seriousViolations } from '../../__testUtils__/axe';
import { GitopsContent } from './GitopsContent';

// axe walks the whole rendered tree in jsdom: slow on a loaded machine, not a product timing
jest.setTimeout(60_000);

describe('GitopsContent accessibility', () => {
  it('has no serious violations with drift and a failing source', async () => {
    const state = structuredClone(checkoutApiState);
    state.environments[2] = edgeUnreachableState.environments[2];
    state.errors = edgeUnreachableState.errors;
    const api = mockGitopsApi({ getState: jest.fn(async () => state) });
    const { container } = await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('checkout-api'),
      api,
    });
    await screen.findAllByRole('region', { name: 'prod-us-1' });
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('has no serious violations in the promote dialog', async () => {
    const api = mockGitopsApi({
      getState: jest.fn(async () => checkoutApiState),
      promote: jest.fn(
        async (request: PromotionRequest): Promise<PromotionResult> => ({
          id: 'plan',
          outcome: 'dry-run',
          message: 'Would promote',
          pullRequests: [],
          superseded: [],
          plan: {
            entityRef: request.entityRef,
            from: request.from,
            to: request.to,
            version: '2.3.0',
            targets: ['prod-eu-1', 'prod-us-1'],
            noop: false,
            gates: [
              { gate: 'freeze-window', passed: true, message: 'No freeze' },
            ],
            waves: [
              {
                index: 0,
                clusters: ['prod-eu-1', 'prod-us-1'],
                branch: 'b',
                edits: [
                  {
                    repoUrl: 'r',
                    baseBranch: 'main',
                    path: 'apps/checkout-api/envs/prod/values.yaml',
                    blobSha: 's',
                    clusters: ['prod-eu-1', 'prod-us-1'],
                    toVersion: '2.3.0',
                    diff: '-  tag: 2.2.0\n+  tag: 2.3.0\n',
                  },
                ],
              },
            ],
          },
        }),
      ),
    });
    await renderWithEntity(<GitopsContent />, {
      entity: entityNamed('checkout-api-dialog'),
      api,
    });
    const staging = await screen.findByRole('region', { name: 'Staging' });
    const button = await within(staging).findByRole('button', {
      name: 'Promote to Production',
    });
    await new Promise(r => setTimeout(r, 50));
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByText('+  tag: 2.3.0', {
      normalizer: s => s,
    });
    expect(await seriousViolations(dialog)).toEqual([]);
  });
});
