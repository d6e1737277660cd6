import { expect, Page, test } from '@playwright/test';
import {
  clusterCell,
  liveVersion,
  openGitopsTab,
  screenshotPath,
  signInAsGuestBeforeEach,
} from '../src/portal';
import { readRepoFile, sandboxGithub } from '../src/sandboxGithub';

/**
 * Promotion from the entity tab for two Application shapes of the sandbox's discovery team
 * (acme/discovery-gitops): a multi-source Application whose version is in a `$values` file of
 * another repository than its chart (search-api), and one whose version is the `image.tag` item
 * of `helm.parameters` in child Applications an app-of-apps parent deploys (reviews-api). Each
 * pull request changes only the version scalar; after the merge the sandbox reconciler (playing
 * Argo CD, the parent included) syncs prod. Changes acme/discovery-gitops: run it on a freshly
 * started sandbox.
 */

const github = sandboxGithub();
const owner = 'acme';
const repo = 'discovery-gitops';
const PROD_CLUSTERS = ['prod-eu-1', 'prod-us-1'];

signInAsGuestBeforeEach();

/** Lines of a unified diff shown in the dialog that it removes and adds. */
async function diffLines(page: Page, path: string) {
  const diff = page
    .getByRole('dialog')
    .getByRole('region', { name: 'Changes' })
    .getByLabel(path)
    .first();
  await expect(diff).toBeVisible();
  const lines = (await diff.innerText()).split('\n');
  return {
    removed: lines.filter(l => /^-(?!--)/.test(l)),
    added: lines.filter(l => /^\+(?!\+\+)/.test(l)),
  };
}

/**
 * Opens the promote dialog of prod, checks the dry run (no failed gate; each file's diff
 * changes one line, `from` to `to`), opens the pull requests and returns their numbers.
 */
async function promoteToProd(
  page: Page,
  service: string,
  files: string[],
  from: string,
  to: string,
): Promise<number[]> {
  await openGitopsTab(page, service);
  const stages = page
    .getByRole('list', { name: 'Pipeline' })
    .getByRole('listitem');
  await expect(stages.nth(2)).toContainText(from);
  await page.getByRole('button', { name: 'Promote to Production' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByText('Promote Staging to Production')).toBeVisible();
  const gates = dialog.getByRole('region', { name: 'Gates' });
  await expect(gates.getByRole('listitem').first()).toBeVisible();
  await expect(gates.getByText('Failed', { exact: true })).toHaveCount(0);
  for (const file of files) {
    const { removed, added } = await diffLines(page, file);
    expect(removed).toHaveLength(1);
    expect(added).toEqual([removed[0].replace(from, to).replace(/^-/, '+')]);
  }
  await dialog.screenshot({
    path: screenshotPath(`${service}-promote-dialog`),
  });
  await dialog.getByRole('button', { name: 'Open pull request' }).click();
  const progress = dialog.getByRole('list', { name: 'Progress' });
  await expect(progress).toBeVisible();
  const prLinks = dialog.getByRole('link', { name: /^Pull request #\d+/ });
  await expect(prLinks.first()).toBeVisible();
  await expect(progress.getByText(/: failed$/)).toHaveCount(0);
  const numbers = (await prLinks.allInnerTexts()).map(text =>
    Number(/#(\d+)/.exec(text)![1]),
  );
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  return [...new Set(numbers)];
}

/**
 * The pull requests change exactly `files` of acme/discovery-gitops, each in one line, the
 * version scalar from `from` to `to`; then they are merged through the stand-in's API.
 */
async function checkAndMerge(
  numbers: number[],
  files: string[],
  from: string,
  to: string,
) {
  const changedFiles: string[] = [];
  for (const pullNumber of numbers) {
    const { data: pull } = await github.pulls.get({
      owner,
      repo,
      pull_number: pullNumber,
    });
    expect(pull.state).toBe('open');
    expect(pull.base.ref).toBe('main');
    const { data: prFiles } = await github.pulls.listFiles({
      owner,
      repo,
      pull_number: pullNumber,
    });
    for (const { filename } of prFiles) {
      changedFiles.push(filename);
      const before = await readRepoFile(github, {
        owner,
        repo,
        path: filename,
        ref: pull.base.sha,
      });
      const after = await readRepoFile(github, {
        owner,
        repo,
        path: filename,
        ref: pull.head.sha,
      });
      const afterLines = after.split('\n');
      const changed = before
        .split('\n')
        .map((line, index) => [line, afterLines[index]])
        .filter(([a, b]) => a !== b);
      expect(changed).toHaveLength(1);
      expect(changed[0][0]).toContain(from);
      expect(changed[0][1]).toBe(changed[0][0].replace(from, to));
      expect(afterLines).toHaveLength(before.split('\n').length);
    }
  }
  expect(changedFiles.sort()).toEqual([...files].sort());
  for (const pullNumber of numbers) {
    await github.pulls.merge({ owner, repo, pull_number: pullNumber });
  }
}

/** Prod shows `version` in the pipeline and in every prod cell, Synced and Healthy. */
async function expectProdOn(page: Page, version: string) {
  const stages = page
    .getByRole('list', { name: 'Pipeline' })
    .getByRole('listitem');
  await expect(stages.nth(2)).toContainText(version, { timeout: 15_000 });
  await expect(stages.nth(2)).not.toContainText(/behind Staging/);
  for (const cluster of PROD_CLUSTERS) {
    const cell = clusterCell(page, cluster);
    await expect(liveVersion(cell)).toHaveText(new RegExp(version), {
      timeout: 15_000,
    });
    await expect(cell.getByText('Synced', { exact: true })).toBeVisible({
      timeout: 15_000,
    });
    await expect(cell.getByText('Healthy', { exact: true })).toBeVisible({
      timeout: 15_000,
    });
  }
}

test('search-api (multi-source): the PR changes only the $values file in discovery-gitops, not the chart repository', async ({
  page,
}) => {
  const valuesPath = 'apps/search-api/envs/prod/values.yaml';
  const { data: chartPullsBefore } = await github.pulls.list({
    owner,
    repo: 'platform-charts',
    state: 'all',
  });
  const numbers = await promoteToProd(
    page,
    'search-api',
    [valuesPath],
    '3.0.4',
    '3.1.0',
  );
  await checkAndMerge(numbers, [valuesPath], '3.0.4', '3.1.0');
  const { data: chartPulls } = await github.pulls.list({
    owner,
    repo: 'platform-charts',
    state: 'all',
  });
  expect(chartPulls).toHaveLength(chartPullsBefore.length);
  await expectProdOn(page, '3.1.0');
  await page.screenshot({
    path: screenshotPath('search-api-promoted'),
    fullPage: true,
  });
});

test('reviews-api (helm.parameters): the PRs change only the image.tag value of the child Applications in the parent path', async ({
  page,
}) => {
  const childPaths = PROD_CLUSTERS.map(
    cluster => `app-of-apps/${cluster}/reviews-api.yaml`,
  );
  const [euPath, usPath] = childPaths;
  // prod promotes in waves, [prod-eu-1] then [prod-us-1], and each cluster's Application has a
  // file of its own: a pull request per wave, the second once the first is merged and synced
  const first = await promoteToProd(
    page,
    'reviews-api',
    childPaths,
    '5.0.0',
    '5.1.0',
  );
  await checkAndMerge(first, [euPath], '5.0.0', '5.1.0');
  await expect(liveVersion(clusterCell(page, 'prod-eu-1'))).toHaveText(
    /5\.1\.0/,
    { timeout: 15_000 },
  );
  const second = await promoteToProd(
    page,
    'reviews-api',
    [usPath],
    '5.0.0',
    '5.1.0',
  );
  await checkAndMerge(second, [usPath], '5.0.0', '5.1.0');
  await expectProdOn(page, '5.1.0');
  await page.screenshot({
    path: screenshotPath('reviews-api-promoted'),
    fullPage: true,
  });
});
