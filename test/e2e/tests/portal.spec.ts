import { expect, test } from '@playwright/test';
import { screenshotPath, signInAsGuest } from '../src/portal';

test('the catalog lists the three services and checkout-api has a GitOps tab', async ({
  page,
}) => {
  await signInAsGuest(page);

  for (const name of ['checkout-api', 'payments-worker', 'storefront-web']) {
    await expect(page.getByRole('link', { name, exact: true })).toBeVisible();
  }

  await page.getByRole('link', { name: 'checkout-api', exact: true }).click();
  const tab = page.getByRole('tab', { name: 'GitOps' });
  await expect(tab).toBeVisible();
  await tab.click();

  await expect(page).toHaveURL(/\/catalog\/default\/component\/checkout-api\/gitops$/);
  await expect(page.getByText(/checkout-api/i).first()).toBeVisible();
  await page.screenshot({ path: screenshotPath('checkout-api-gitops-tab'), fullPage: true });
});
