import { expect, Locator, Page, test } from '@playwright/test';

/** Signs in with the guest provider, as a first-time visitor does. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(
    page.getByRole('link', { name: 'Catalog' }).first(),
  ).toBeVisible();
}

/** Signs in as a guest before each test of the calling spec file. */
export function signInAsGuestBeforeEach() {
  test.beforeEach(async ({ page }) => {
    await signInAsGuest(page);
  });
}

/** Opens an entity's GitOps tab straight from its URL. */
export async function openGitopsTab(
  page: Page,
  name: string,
  kind = 'component',
) {
  await page.goto(`/catalog/default/${kind}/${name}/gitops`);
  await expect(gitopsTabLink(page)).toBeVisible();
}

/** The entity page's "GitOps" tab (entity tabs are links in the content navigation). */
export function gitopsTabLink(page: Page) {
  return page
    .getByRole('navigation', { name: 'Content navigation' })
    .getByRole('link', { name: 'GitOps', exact: true });
}

/** One (environment, cluster) cell of the matrix: a region named after the cluster. */
export function clusterCell(page: Page, cluster: string): Locator {
  return page.getByRole('region', { name: cluster, exact: true });
}

/** The live version shown in a cell. */
export function liveVersion(cell: Locator): Locator {
  return cell.locator('dt:has-text("Live") + dd');
}

/** Where screenshots for README and reviewers go. */
export function screenshotPath(name: string) {
  return `screenshots/${name}.png`;
}
