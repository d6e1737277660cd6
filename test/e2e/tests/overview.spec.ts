import AxeBuilder from '@axe-core/playwright';
import { expect, Locator, Page, test } from '@playwright/test';
import { screenshotPath, signInAsGuestBeforeEach } from '../src/portal';

/**
 * The GitOps overview against the sandbox. The guest belongs to team-web and team-discovery: it
 * may promote storefront-web and the discovery services, not team-payments' checkout-api and
 * payments-worker. Opens pull requests for recommendations-api and ratings-api in
 * acme/discovery-gitops (services no other spec promotes): run it on a freshly started sandbox.
 */

signInAsGuestBeforeEach();

/** The overview's rows whose service cell links the service's title (and, when given, the text). */
function rows(page: Page, service: string, text?: string | RegExp): Locator {
  const matching = page.getByRole('row').filter({
    has: page.getByRole('rowheader').getByRole('link', {
      name: service,
      exact: true,
    }),
  });
  return text ? matching.filter({ hasText: text }) : matching;
}

async function openOverview(page: Page, query = '') {
  await page.goto(`/gitops${query}`);
  await expect(page.getByRole('heading', { name: 'GitOps' })).toBeVisible();
}

/**
 * Waits until the overview lists the seeded services: the backend builds its index once the
 * catalog has ingested them, which can be after the portal answers.
 */
async function waitForIndexedServices(page: Page) {
  test.setTimeout(300_000);
  await openOverview(page, '?mine=false');
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(rows(page, 'Storefront web')).toHaveCount(1, {
      timeout: 2_000,
    });
  }).toPass({ timeout: 240_000 });
}

/** Toggles a switch or checkbox the way a user does: on its label (the input is visually hidden). */
async function toggle(control: Locator) {
  await control.locator('xpath=ancestor::label[1]').click();
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .include('[data-testid="gitops-overview"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => `${v.id}: ${v.help} (${v.nodes.map(n => n.target).join(', ')})`);
}

test('lists the seeded services with their environments, from the nav item', async ({
  page,
}) => {
  await waitForIndexedServices(page);
  await page.goto('/');
  await page.getByRole('link', { name: 'GitOps', exact: true }).click();
  await expect(page).toHaveURL(/\/gitops/);
  // the guest owns services, so "owned by me" starts on and lists only theirs
  const owned = page.getByRole('switch', { name: 'Owned by me or my groups' });
  await expect(owned).toBeChecked();
  await expect(rows(page, 'Storefront web')).toHaveCount(1);
  await expect(rows(page, 'Checkout API')).toHaveCount(0);

  await toggle(owned);
  await expect(page).toHaveURL(/mine=false/);
  for (const service of [
    'Checkout API',
    'Payments worker',
    'Storefront web',
    'Search API',
    'Reviews API',
  ]) {
    await expect(rows(page, service)).toHaveCount(1);
  }
  const headers = page.getByRole('columnheader');
  await expect(headers).toHaveText([
    'Service',
    'Development',
    'Staging',
    'Production',
  ]);
  const storefront = rows(page, 'Storefront web');
  await expect(storefront).toContainText('1.5.0');
  await expect(storefront).toContainText('1.4.2');
  await expect(storefront).toContainText(/behind Staging/);
  await expect(rows(page, 'Checkout API')).toContainText(/drifted/);

  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: screenshotPath('overview'), fullPage: true });

  // the filters are in the URL: the same link shows the same view
  await toggle(page.getByRole('switch', { name: 'Drifted' }));
  await expect(page).toHaveURL(/drifted=true/);
  await expect(rows(page, 'Checkout API')).toHaveCount(1);
  await expect(rows(page, 'Storefront web')).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('switch', { name: 'Drifted' })).toBeChecked();
  await expect(rows(page, 'Storefront web')).toHaveCount(0);
});

test('an owner promotes two services from Ready to promote, one pull request each', async ({
  page,
}) => {
  await waitForIndexedServices(page);
  await openOverview(page, '?tab=ready&mine=false');
  // services no other spec promotes: their pull requests stay open for the rest of the run
  const recommendations = rows(
    page,
    'Recommendations API',
    'Staging → Production',
  );
  const ratings = rows(page, 'Ratings API', 'Staging → Production');
  // a service is ready once its staging Applications report Synced and Healthy: after the earlier
  // specs' changes the sandbox may still be reconciling them
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(recommendations).toHaveCount(1, { timeout: 2_000 });
    await expect(ratings).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 120_000 });
  await expect(recommendations).toContainText('0.9.0');
  await expect(ratings).toContainText('1.1.0');

  await toggle(recommendations.getByRole('checkbox'));
  await toggle(ratings.getByRole('checkbox'));
  await page
    .getByRole('button', { name: 'Promote 2 selected services' })
    .click();

  for (const row of [recommendations, ratings]) {
    await expect(
      row.getByRole('link', { name: /^Pull request #\d+ \(opened\)$/ }),
    ).toBeVisible({ timeout: 30_000 });
    await expect(row.getByText(/^Failed:/)).toHaveCount(0);
  }
  const links = await page
    .getByRole('link', { name: /^Pull request #\d+ \(opened\)$/ })
    .evaluateAll(anchors => anchors.map(a => (a as HTMLAnchorElement).href));
  expect(new Set(links).size).toBe(2);
  expect(links.every(link => link.includes('/discovery-gitops/'))).toBe(true);

  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({
    path: screenshotPath('overview-ready'),
    fullPage: true,
  });
});

test('the guest, not an owner of team-payments services, sees no Promote on their rows', async ({
  page,
}) => {
  await waitForIndexedServices(page);
  await openOverview(page, '?mine=false&q=payments');
  await expect(rows(page, 'Payments worker')).toHaveCount(1);
  await page.getByRole('tab', { name: 'Ready to promote' }).click();
  await expect(page).toHaveURL(/tab=ready/);
  const payments = page.getByRole('row').filter({
    has: page.getByRole('rowheader'),
  });
  await expect(payments.first()).toBeVisible();
  for (const row of await payments.all()) {
    await expect(row).toContainText(/Payments worker|Checkout API/);
    await expect(row.getByRole('button')).toHaveCount(0);
    await expect(row.getByRole('checkbox')).toBeDisabled();
  }
  // and an owned service on the same view keeps its Promote
  await page.getByRole('searchbox').fill('storefront');
  await expect(
    rows(page, 'Storefront web', 'Staging → Production').getByRole('button', {
      name: /^Promote /,
    }),
  ).toBeVisible();
});
