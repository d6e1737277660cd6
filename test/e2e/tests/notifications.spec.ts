import { expect, test } from '@playwright/test';
import { screenshotPath, signInAsGuestBeforeEach } from '../src/portal';
import { patchApplicationStatus } from '../src/sandboxApplications';

signInAsGuestBeforeEach();

// app-config.yaml notifies production drift after 10 seconds; the guest is in team-web, which
// owns storefront-web (the seeded checkout-api drift goes to team-payments instead).
test('a production drift raises one notification for the owning team', async ({
  page,
}) => {
  const application = 'storefront-web-prod-eu-1';
  const title = 'storefront-web drifted in Production (prod-eu-1)';
  try {
    await patchApplicationStatus(application, {
      sync: { status: 'OutOfSync' },
    });
    await page.goto('/notifications');
    // the page lists what was sent when it loaded; signals update the bell, so reload until sent
    await expect(async () => {
      await page.reload();
      await expect(page.getByText(title)).toHaveCount(1, { timeout: 15_000 });
    }).toPass({ timeout: 90_000 });

    // still one: the drift goes on, and the episode was notified already
    await page.waitForTimeout(12_000);
    await page.reload();
    await expect(page.getByText(title)).toHaveCount(1);
    await page.screenshot({
      path: screenshotPath('notifications-prod-drift'),
      fullPage: true,
    });
  } finally {
    await patchApplicationStatus(application, { sync: { status: 'Synced' } });
  }
});
