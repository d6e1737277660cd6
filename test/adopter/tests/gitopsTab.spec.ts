import { expect, test } from '@playwright/test';
import {
  clusterCell,
  liveVersion,
  openGitopsTab,
  signInAsGuestBeforeEach,
} from '@internal/gitops-e2e/src/portal';

signInAsGuestBeforeEach();

test('the GitOps tab shows the seeded state of payments-worker and checkout-api', async ({
  page,
}) => {
  // the sandbox's seed: prod-eu-1 has synced 2.3.1 by hand, prod-us-1 still runs 2.3.0
  await openGitopsTab(page, 'payments-worker');
  await expect(liveVersion(clusterCell(page, 'prod-eu-1'))).toHaveText('2.3.1');
  await expect(liveVersion(clusterCell(page, 'prod-us-1'))).toHaveText('2.3.0');

  // and checkout-api was edited by hand in prod-us-1
  await openGitopsTab(page, 'checkout-api');
  await expect(
    clusterCell(page, 'prod-us-1').getByText('OutOfSync', { exact: true }),
  ).toBeVisible();
});
