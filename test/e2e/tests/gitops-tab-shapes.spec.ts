import { expect, test } from '@playwright/test';
import {
  clusterCell,
  liveVersion,
  openGitopsTab,
  screenshotPath,
  signInAsGuestBeforeEach,
} from '../src/portal';

/**
 * The GitOps tab of the sandbox's shape services (team discovery) as seeded: every cell's live
 * and desired version, Synced and Healthy, and where the desired version comes from (the title
 * of the desired version). Runs before promote-shapes.spec.ts changes prod.
 */

signInAsGuestBeforeEach();

const SEEDED: {
  service: string;
  versions: Record<string, string>;
  source: (environment: string) => RegExp;
}[] = [
  {
    service: 'search-api',
    versions: { dev: '3.2.0', staging: '3.1.0', prod: '3.0.4' },
    source: env =>
      new RegExp(
        `Helm values key image\\.tag in apps/search-api/envs/${env}/values\\.yaml$`,
      ),
  },
  {
    service: 'recommendations-api',
    versions: { dev: '0.9.1', staging: '0.9.0', prod: '0.8.0' },
    source: env =>
      new RegExp(
        `Helm values key image\\.tag in apps/recommendations-api/envs/${env}/values\\.yaml$`,
      ),
  },
  {
    service: 'reviews-api',
    versions: { dev: '5.2.0', staging: '5.1.0', prod: '5.0.0' },
    // found in Git through the app-of-apps parent
    source: () =>
      /Application helm\.parameters image\.tag in app-of-apps\/[a-z0-9-]+\/reviews-api\.yaml$/,
  },
  {
    service: 'ratings-api',
    versions: { dev: '1.2.0', staging: '1.1.0', prod: '1.0.0' },
    source: env =>
      new RegExp(
        `Helm values key image\\.tag in apps/ratings-api/envs/${env}/values\\.yaml$`,
      ),
  },
];

const CLUSTERS: [string, string][] = [
  ['dev-1', 'dev'],
  ['staging-1', 'staging'],
  ['prod-eu-1', 'prod'],
  ['prod-us-1', 'prod'],
];

for (const { service, versions, source } of SEEDED) {
  test(`${service}: every cell shows the seeded versions and where the desired one comes from`, async ({
    page,
  }) => {
    await openGitopsTab(page, service);
    for (const [cluster, env] of CLUSTERS) {
      const cell = clusterCell(page, cluster);
      await expect(liveVersion(cell)).toHaveText(versions[env]);
      const desired = cell.locator('dt:has-text("Desired") + dd [title]');
      await expect(desired).toHaveText(versions[env]);
      await expect(desired).toHaveAttribute('title', source(env));
      await expect(cell.getByText('Synced', { exact: true })).toBeVisible();
      await expect(cell.getByText('Healthy', { exact: true })).toBeVisible();
    }
    await page.screenshot({
      path: screenshotPath(`${service}-tab`),
      fullPage: true,
    });
  });
}

test('ratings-api: the in-cluster Applications of the per-cluster instances eu and edge are in their own clusters', async ({
  page,
}) => {
  await openGitopsTab(page, 'ratings-api');
  await expect(
    clusterCell(page, 'prod-eu-1').getByRole('link', {
      name: 'Open ratings-api-prod-eu-1 in Argo CD',
    }),
  ).toHaveAttribute('href', /argocd-eu\.acme\.internal/);
  await expect(
    clusterCell(page, 'prod-us-1').getByRole('link', {
      name: 'Open ratings-api-prod-us-1 in Argo CD',
    }),
  ).toHaveAttribute('href', /localhost:7451/);
});
