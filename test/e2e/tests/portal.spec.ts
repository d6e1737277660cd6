import { expect, test } from '@playwright/test';
import {
  clusterCell,
  gitopsTabLink,
  screenshotPath,
  signInAsGuest,
} from '../src/portal';

test('the catalog lists the three services and checkout-api has a GitOps tab', async ({
  page,
}) => {
  await signInAsGuest(page);

  await page.goto('/?filters[kind]=component&filters[user]=all');
  for (const title of ['Checkout API', 'Payments worker', 'Storefront web']) {
    await expect(
      page.getByRole('link', { name: title, exact: true }),
    ).toBeVisible();
  }

  await page.getByRole('link', { name: 'Checkout API', exact: true }).click();
  const tab = gitopsTabLink(page);
  await expect(tab).toBeVisible();
  await tab.click();

  await expect(page).toHaveURL(
    /\/catalog\/default\/component\/checkout-api\/gitops$/,
  );
  // The tab's own content, not the entity header: every cluster of the pipeline has its cell.
  await expect(page.getByTestId('gitops-content')).toBeVisible();
  for (const cluster of ['dev-1', 'staging-1', 'prod-eu-1', 'prod-us-1']) {
    await expect(
      clusterCell(page, cluster)
        .getByText(/Synced|OutOfSync/)
        .first(),
    ).toBeVisible();
  }
  await page.screenshot({
    path: screenshotPath('checkout-api-gitops-tab'),
    fullPage: true,
  });
});
