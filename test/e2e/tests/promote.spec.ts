import { expect, test } from '@playwright/test';
import {
  clusterCell,
  liveVersion,
  openGitopsTab,
  screenshotPath,
  signInAsGuestBeforeEach,
} from '../src/portal';
import { readRepoFile, sandboxGithub } from '../src/sandboxGithub';

/**
 * Promotion from the entity tab against the sandbox: the dialog's dry run (gates and diff), the
 * pull request in the GitHub stand-in, its merge on the stand-in's pull request page (opened
 * from the dialog's link), and the tab showing prod on the new version once the sandbox
 * reconciler (playing Argo CD) has synced. Meanwhile prod's header tracks the promotion: the pull
 * request open with its checks, merged and syncing, then deployed with lead times. Changes
 * acme/web-gitops: run it on a freshly started sandbox.
 */

const github = sandboxGithub();
const owner = 'acme';
const repo = 'web-gitops';
const valuesPath = 'apps/storefront-web/envs/prod/values.yaml';

/** A file of the GitOps repo at a commit. */
function readFile(path: string, ref: string): Promise<string> {
  return readRepoFile(github, { owner, repo, path, ref });
}

signInAsGuestBeforeEach();

test('storefront-web: promote staging to prod, merge the PR on its page, prod runs 1.5.0', async ({
  page,
}) => {
  await openGitopsTab(page, 'storefront-web');
  const stages = page
    .getByRole('list', { name: 'Pipeline' })
    .getByRole('listitem');
  await expect(stages.nth(2)).toContainText('1.4.2');

  await page.getByRole('button', { name: 'Promote to Production' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('Promote Staging to Production')).toBeVisible();

  // Dry run: every gate passed, and the diff changes only the version scalar.
  const gates = dialog.getByRole('region', { name: 'Gates' });
  await expect(gates.getByRole('listitem').first()).toBeVisible();
  await expect(gates.getByText('Failed', { exact: true })).toHaveCount(0);
  const changes = dialog.getByRole('region', { name: 'Changes' });
  const diff = changes.getByLabel(valuesPath).first();
  await expect(diff).toBeVisible();
  const diffLines = (await diff.innerText()).split('\n');
  const removed = diffLines.filter(l => /^-(?!--)/.test(l));
  const added = diffLines.filter(l => /^\+(?!\+\+)/.test(l));
  expect(removed.length).toBeGreaterThan(0);
  expect(removed.length).toBe(added.length);
  removed.forEach(line => expect(line).toContain('1.4.2'));
  added.forEach(line => expect(line).toContain('1.5.0'));
  expect(removed.map(l => l.slice(1).replace('1.4.2', '1.5.0'))).toEqual(
    added.map(l => l.slice(1)),
  );
  await dialog.screenshot({
    path: screenshotPath('storefront-web-promote-dialog'),
  });

  // Confirm: the steps run to the pull request link.
  await dialog.getByRole('button', { name: 'Open pull request' }).click();
  const progress = dialog.getByRole('list', { name: 'Progress' });
  await expect(progress).toBeVisible();
  const prLinks = dialog.getByRole('link', { name: /^Pull request #\d+/ });
  await expect(prLinks.first()).toBeVisible();
  await expect(progress.getByText(/: failed$/)).toHaveCount(0);
  await expect(progress.getByText(/: done$/)).toHaveCount(3);
  await dialog.screenshot({
    path: screenshotPath('storefront-web-promote-done'),
  });
  const numbers = (await prLinks.allInnerTexts()).map(text =>
    Number(/#(\d+)/.exec(text)![1]),
  );

  // The pull requests exist in the GitHub stand-in and change only the version scalar.
  for (const pullNumber of numbers) {
    const { data: pull } = await github.pulls.get({
      owner,
      repo,
      pull_number: pullNumber,
    });
    expect(pull.state).toBe('open');
    expect(pull.base.ref).toBe('main');
  }
  const { data: pull } = await github.pulls.get({
    owner,
    repo,
    pull_number: numbers[0],
  });
  const { data: files } = await github.pulls.listFiles({
    owner,
    repo,
    pull_number: pull.number,
  });
  expect(files.map(f => f.filename)).toEqual([valuesPath]);
  const before = await readFile(valuesPath, pull.base.sha);
  const after = await readFile(valuesPath, pull.head.sha);
  const changed = before
    .split('\n')
    .map((line, index) => [line, after.split('\n')[index]])
    .filter(([a, b]) => a !== b);
  expect(changed).toHaveLength(1);
  expect(changed[0][1]).toBe(changed[0][0].replace('1.4.2', '1.5.0'));
  expect(after).toBe(before.replace(changed[0][0], changed[0][1]));

  // Prod's header tracks the open pull request, with the stand-in's check and mergeable state.
  const tracked = page.getByTestId('tracked-promotion');
  await expect(tracked).toHaveAttribute('data-stage', 'open', {
    timeout: 15_000,
  });
  await expect(tracked).toContainText('Pull request open');
  await expect(tracked).toContainText(`#${numbers[0]} (1.5.0)`);
  await expect(tracked).toContainText(
    /Checks passed \(1\)|1 of 1 checks pending/,
    {
      timeout: 15_000,
    },
  );
  await expect(tracked).toContainText('mergeable (clean)');
  // every stage the header shows from here on, however briefly
  await tracked.evaluate(element => {
    const seen: string[] = [];
    (window as unknown as { trackedStages: string[] }).trackedStages = seen;
    const record = () => {
      const stage = document
        .querySelector('[data-testid="tracked-promotion"]')
        ?.getAttribute('data-stage');
      if (stage && seen[seen.length - 1] !== stage) seen.push(stage);
    };
    record();
    new MutationObserver(record).observe(element.ownerDocument.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-stage'],
    });
  });

  // Open the pull request from the dialog's link: the stand-in's page (the html_url the engine
  // returned) shows the diff; merge there. The reconciler syncs prod and the tab follows.
  const hrefs = await prLinks.evaluateAll(links =>
    links.map(link => (link as HTMLAnchorElement).href),
  );
  expect(hrefs[0]).toBe(pull.html_url);
  const [prPage] = await Promise.all([
    page.context().waitForEvent('page'),
    prLinks.first().click(),
  ]);
  for (const [index, href] of hrefs.entries()) {
    if (index > 0) await prPage.goto(href);
    await expect(prPage).toHaveURL(href);
    await expect(prPage.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(prPage.getByText('Open', { exact: true })).toBeVisible();
    await expect(
      prPage.locator('[data-check="ci / validate"]').first(),
    ).toBeVisible();
    const fileDiff = prPage
      .getByRole('region', { name: 'Files changed' })
      .getByRole('region', { name: valuesPath });
    await expect(fileDiff).toBeVisible();
    const pageRemoved = await fileDiff.locator('span.del').allInnerTexts();
    const pageAdded = await fileDiff.locator('span.add').allInnerTexts();
    expect(pageRemoved.length).toBeGreaterThan(0);
    expect(pageAdded.length).toBe(pageRemoved.length);
    pageRemoved.forEach(line => expect(line).toContain('1.4.2'));
    pageAdded.forEach(line => expect(line).toContain('1.5.0'));
    if (index === 0) {
      await prPage.screenshot({
        path: screenshotPath('storefront-web-pull-request'),
        fullPage: true,
      });
    }
    await prPage.getByRole('button', { name: 'Merge pull request' }).click();
    await expect(prPage).toHaveURL(href);
    await expect(
      prPage.getByRole('heading', { name: 'Merged', exact: true }),
    ).toBeVisible();
  }
  await prPage.close();
  for (const pullNumber of numbers) {
    const { data: merged } = await github.pulls.get({
      owner,
      repo,
      pull_number: pullNumber,
    });
    expect(merged.merged).toBe(true);
  }
  // The footer's Close (the header has an icon button of the same name).
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(stages.nth(2)).toContainText('1.5.0', { timeout: 10_000 });
  await expect(stages.nth(2)).not.toContainText(/behind Staging/);
  for (const cluster of ['prod-eu-1', 'prod-us-1']) {
    await expect(liveVersion(clusterCell(page, cluster))).toHaveText(
      /1\.5\.0/,
      {
        timeout: 10_000,
      },
    );
  }
  // The reconciler moves through OutOfSync and Progressing to Synced and Healthy.
  for (const cluster of ['prod-eu-1', 'prod-us-1']) {
    await expect(
      clusterCell(page, cluster).getByText('Synced', { exact: true }),
    ).toBeVisible({ timeout: 10_000 });
    await expect(
      clusterCell(page, cluster).getByText('Healthy', { exact: true }),
    ).toBeVisible({ timeout: 10_000 });
  }
  await page.screenshot({
    path: screenshotPath('storefront-web-promoted'),
    fullPage: true,
  });

  // The header followed the merge to deployed, with lead times.
  await expect(tracked).toHaveAttribute('data-stage', 'deployed', {
    timeout: 15_000,
  });
  await expect(tracked).toContainText('Deployed');
  await expect(tracked).toContainText(
    /Opened to merged: \d+ (s|min); merged to healthy: \d+ (s|min)/,
  );
  const seen = await page.evaluate(
    () => (window as unknown as { trackedStages: string[] }).trackedStages,
  );
  expect(seen).toEqual(['open', 'syncing', 'deployed']);
  // prod's row: its header with the tracked promotion above the clusters
  await tracked.locator('xpath=../..').screenshot({
    path: screenshotPath('storefront-web-tracked-promotion'),
  });

  // The overview's prod column of storefront-web tells the same.
  await page.goto('/gitops?q=storefront-web');
  const row = page.getByRole('row').filter({ hasText: 'Storefront web' });
  await expect(async () => {
    await page.reload();
    await expect(
      row.getByTestId('tracked-promotion').filter({ hasText: '1.5.0' }),
    ).toHaveAttribute('data-stage', 'deployed', { timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
});

test('checkout-api: the guest, not an owner, sees Promote disabled with the reason', async ({
  page,
}) => {
  await openGitopsTab(page, 'checkout-api');
  const button = page.getByRole('button', { name: 'Promote to Production' });
  await expect(button).toBeVisible();
  await expect(button).toBeDisabled();
  await expect(button).toHaveAccessibleDescription(
    /not allowed to promote this entity/,
  );
});
