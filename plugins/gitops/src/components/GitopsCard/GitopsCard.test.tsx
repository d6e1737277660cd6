import { screen, within } from '@testing-library/react';
import { paymentsWorkerState } from '../../__testUtils__/states';
import {
  entityNamed,
  mockGitopsApi,
  renderWithEntity,
} from '../../__testUtils__/renderGitops';
import { GitopsCard } from './GitopsCard';

describe('GitopsCard', () => {
  it('lists the version, sync and health of each environment', async () => {
    const state = structuredClone(paymentsWorkerState);
    state.environments[2].health = 'Degraded';
    const api = mockGitopsApi({ getState: jest.fn(async () => state) });
    await renderWithEntity(<GitopsCard />, {
      entity: entityNamed('payments-worker'),
      api,
    });

    const rows = within(await screen.findByRole('list')).getAllByRole(
      'listitem',
    );
    expect(rows.map(r => r.textContent)).toEqual([
      'Development0.9.1Sync: SyncedHealth: Healthy',
      'Staging0.9.1Sync: SyncedHealth: Healthy',
      'Production0.9.1 / 0.8.4Sync: SyncedHealth: Degraded',
    ]);
  });
});
