import { expect, Page } from '@playwright/test';

/** Signs in with the guest provider, as a first-time visitor does. */
export async function signInAsGuest(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  await expect(enter).toBeVisible();
  await enter.click();
  await expect(
    page.getByRole('navigation', { name: 'sidebar nav' }),
  ).toBeVisible();
}

/** Opens an entity's GitOps tab straight from its URL. */
export async function openGitopsTab(page: Page, name: string, kind = 'component') {
  await page.goto(`/catalog/default/${kind}/${name}/gitops`);
  await expect(page.getByRole('tab', { name: 'GitOps' })).toBeVisible();
}

/** Where screenshots for README and reviewers go. */
export function screenshotPath(name: string) {
  return `screenshots/${name}.png`;
}
