import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import {
  clusterCell,
  liveVersion,
  openGitopsTab,
  screenshotPath,
  signInAsGuestBeforeEach,
} from '../src/portal';
import { patchApplicationStatus } from '../src/sandboxApplications';

signInAsGuestBeforeEach();

test('checkout-api shows drift in prod-us-1 and nowhere else', async ({
  page,
}) => {
  await openGitopsTab(page, 'checkout-api');

  const prodUs = clusterCell(page, 'prod-us-1');
  await expect(prodUs.getByText('OutOfSync', { exact: true })).toBeVisible();
  await expect(prodUs.getByText(/differences? from Git/)).toBeVisible();
  await expect(
    page.getByRole('heading', { name: /Drift: prod-us-1/ }),
  ).toBeVisible();
  for (const other of ['dev-1', 'staging-1', 'prod-eu-1']) {
    await expect(
      clusterCell(page, other).getByText('Synced', { exact: true }),
    ).toBeVisible();
    await expect(clusterCell(page, other).getByText(/from Git/)).toHaveCount(0);
  }

  await page.screenshot({
    path: screenshotPath('checkout-api-drift'),
    fullPage: true,
  });
});

test('payments-worker shows its prod clusters on different versions', async ({
  page,
}) => {
  await openGitopsTab(page, 'payments-worker');

  const eu = liveVersion(clusterCell(page, 'prod-eu-1'));
  const us = liveVersion(clusterCell(page, 'prod-us-1'));
  // the sandbox's seed: prod is synced by hand, and only prod-eu-1 has synced 2.3.1 (any text,
  // "unknown" included, would differ, so the versions themselves are what is checked)
  await expect(eu).toHaveText('2.3.1');
  await expect(us).toHaveText('2.3.0');
  await expect(
    page
      .getByRole('region', { name: 'Production', exact: true })
      .getByText('clusters on different versions'),
  ).toBeVisible();

  await page.screenshot({
    path: screenshotPath('payments-worker-skew'),
    fullPage: true,
  });
});

test('storefront-web shows staging one version ahead of prod', async ({
  page,
}) => {
  await openGitopsTab(page, 'storefront-web');

  const pipeline = page.getByRole('list', { name: 'Pipeline' });
  const stages = pipeline.getByRole('listitem');
  await expect(stages).toHaveCount(3);
  await expect(stages.nth(1)).toContainText('1.5.0');
  await expect(stages.nth(2)).toContainText('1.4.2');
  await expect(stages.nth(2)).toContainText(/behind Staging/);
  for (const name of ['dev-1', 'staging-1', 'prod-eu-1', 'prod-us-1']) {
    await expect(
      clusterCell(page, name).getByText('Healthy', { exact: true }),
    ).toBeVisible();
  }
  await expect(
    page.getByRole('button', { name: 'Promote to Production' }),
  ).toBeVisible();

  await page.screenshot({
    path: screenshotPath('storefront-web-pipeline'),
    fullPage: true,
  });
});

test('a status change in the sandbox shows in the open tab within 5 s, without reload', async ({
  page,
}) => {
  const application = 'storefront-web-staging-1';
  await openGitopsTab(page, 'storefront-web');
  const staging = clusterCell(page, 'staging-1');
  await expect(staging.getByText('Healthy', { exact: true })).toBeVisible();
  // Survives only as long as the page is not reloaded.
  await page.evaluate(() => {
    (window as any).gitopsE2eMarker = 'not reloaded';
  });

  try {
    await patchApplicationStatus(application, {
      health: {
        status: 'Degraded',
        message: 'Back-off restarting failed container',
      },
    });
    await expect(staging.getByText('Degraded', { exact: true })).toBeVisible({
      timeout: 5_000,
    });
    expect(await page.evaluate(() => (window as any).gitopsE2eMarker)).toBe(
      'not reloaded',
    );
    await page.screenshot({
      path: screenshotPath('storefront-web-live-update'),
      fullPage: true,
    });
  } finally {
    await patchApplicationStatus(application, {
      health: { status: 'Healthy', message: null },
    });
  }
  await expect(staging.getByText('Healthy', { exact: true })).toBeVisible({
    timeout: 5_000,
  });
});

for (const service of ['checkout-api', 'payments-worker', 'storefront-web']) {
  test(`the ${service} tab has no serious accessibility violations`, async ({
    page,
  }) => {
    await openGitopsTab(page, service);
    await expect(page.getByTestId('gitops-content')).toBeVisible();
    // Check the settled tab: Promote buttons stay pending (aria-disabled, faded) until the
    // permission check answers, and that transient state is not what a user reads.
    await expect(
      page.getByRole('button', { name: /^Promote to / }).first(),
    ).toBeVisible();
    await expect(
      page.getByTestId('gitops-content').locator('button[data-pending]'),
    ).toHaveCount(0);

    const results = await new AxeBuilder({ page })
      .include('[data-testid="gitops-content"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze();
    const serious = results.violations.filter(
      v => v.impact === 'serious' || v.impact === 'critical',
    );
    expect(
      serious.map(
        v =>
          `${v.id}: ${v.help} (${v.nodes.length} nodes: ${v.nodes
            .slice(0, 3)
            .map(n => n.target.join(' '))
            .join(', ')})`,
      ),
    ).toEqual([]);
  });
}
