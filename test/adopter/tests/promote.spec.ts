import { expect, test } from '@playwright/test';
import {
  openGitopsTab,
  signInAsGuestBeforeEach,
} from '@internal/gitops-e2e/src/portal';
import {
  readRepoFile,
  sandboxGithub,
} from '@internal/gitops-e2e/src/sandboxGithub';

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
  const path = 'apps/storefront-web/envs/prod/values.yaml';
  expect(files.map(f => f.filename)).toEqual([path]);
  const at = (ref: string) =>
    readRepoFile(github, { owner: 'acme', repo: 'web-gitops', path, ref });
  // the seed: staging runs 1.5.0, prod 1.4.2
  expect(await at(pull.base.sha)).toContain('1.4.2');
  expect(await at(pull.head.sha)).toContain('1.5.0');
  expect(await at(pull.head.sha)).not.toContain('1.4.2');
});
