import { expect, test } from '@playwright/test';
import {
  openGitopsTab,
  signInAsGuestBeforeEach,
} from '@internal/gitops-e2e/src/portal';
import { sandboxGithub } from '@internal/gitops-e2e/src/sandboxGithub';

signInAsGuestBeforeEach();

test('promoting storefront-web to prod opens a pull request in the GitOps repo', async ({
  page,
}) => {
  const github = sandboxGithub();
  await openGitopsTab(page, 'storefront-web');
  await page.getByRole('button', { name: 'Promote to Production' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Open pull request' }).click();
  const prLinks = dialog.getByRole('link', { name: /^Pull request #\d+/ });
  await expect(prLinks.first()).toBeVisible();

  const pullNumber = Number(
    /#(\d+)/.exec(await prLinks.first().innerText())![1],
  );
  const { data: pull } = await github.pulls.get({
    owner: 'acme',
    repo: 'web-gitops',
    pull_number: pullNumber,
  });
  expect(pull.state).toBe('open');
  const { data: files } = await github.pulls.listFiles({
    owner: 'acme',
    repo: 'web-gitops',
    pull_number: pullNumber,
  });
  expect(files.map(f => f.filename)).toEqual([
    'apps/storefront-web/envs/prod/values.yaml',
  ]);
  expect(files[0].patch).toMatch(/^\+.*1\.5\.0/m);
});
