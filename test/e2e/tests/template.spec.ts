import { expect, Page, test } from '@playwright/test';
import { posix } from 'node:path';
import { parse } from 'yaml';
import {
  clusterCell,
  liveVersion,
  openGitopsTab,
  screenshotPath,
  signInAsGuestBeforeEach,
} from '../src/portal';
import { readRepoFile, sandboxGithub } from '../src/sandboxGithub';

/**
 * The gitops-service golden-path template, run from the portal against the sandbox: the form,
 * the service repository and the GitOps pull request in the GitHub stand-in, the merge that
 * makes the sandbox reconciler create the Applications, and the new service's GitOps tab.
 */

const github = sandboxGithub();

/** A file of an acme repository at a ref of the GitHub stand-in. */
function readFile(repo: string, path: string, ref?: string) {
  return readRepoFile(github, { owner: 'acme', repo, path, ref });
}

/** The value at a dotted key (`image.tag`) of a YAML document. */
function valueAt(yamlText: string, dottedKey: string): unknown {
  return dottedKey
    .split('.')
    .reduce<any>((node, key) => node?.[key], parse(yamlText));
}

/** Opens the template's form from the Create page. */
async function openTemplate(page: Page) {
  await page.goto('/create');
  const card = page
    .getByRole('article')
    .filter({ hasText: 'GitOps service (golden path)' });
  await card.getByRole('button', { name: 'Choose' }).click();
  await expect(page.getByRole('textbox', { name: /^Name/ })).toBeVisible();
}

/** Fills the three steps of the form and creates. */
async function fillAndCreate(
  page: Page,
  options: { name: string; ownerOption: RegExp; repo: string },
) {
  await page.getByRole('textbox', { name: /^Name/ }).fill(options.name);
  await page
    .getByRole('textbox', { name: /^Description/ })
    .fill('Created by the template end-to-end test');
  await page.getByLabel(/^Owner/).click();
  await page.getByRole('option', { name: options.ownerOption }).click();
  await page.getByRole('button', { name: 'Next' }).click();

  // Deployment: port 8080, dev, staging and prod by default.
  await expect(page.getByLabel(/^Port/)).toHaveValue('8080');
  await page.getByRole('button', { name: 'Next' }).click();

  // Repository: owner and name only; it is created on the host of the team's GitOps repository
  // (the GitHub stand-in). Leave each field before going on, as a user tabbing through would.
  const owner = page.getByRole('textbox', { name: /^Owner/ });
  await owner.fill('acme');
  await owner.press('Tab');
  const repository = page.getByRole('textbox', { name: /^Repository/ });
  await repository.fill(options.repo);
  await repository.press('Tab');
  await page.getByRole('button', { name: /Review|Next/ }).click();
  const create = page.getByRole('button', { name: 'Create' });
  await expect(create).toBeVisible();
  await create.click();
}

signInAsGuestBeforeEach();

test('a new service reaches dev, staging and prod through the GitOps repo', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const name = `e2e-${Date.now().toString(36)}`;

  await openTemplate(page);
  await fillAndCreate(page, { name, ownerOption: /Web/, repo: name });

  // The task finishes with its three output links; a failed step shows its error instead.
  const serviceRepoLink = page.getByRole('link', {
    name: 'Service repository',
  });
  const stepError = page.getByText(/^Error: /);
  await expect(serviceRepoLink.or(stepError).first()).toBeVisible({
    timeout: 120_000,
  });
  expect(await stepError.allTextContents()).toEqual([]);
  await expect(serviceRepoLink).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'GitOps pull request' }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: 'Open in catalog' }),
  ).toBeVisible();

  // The service repository exists with its skeleton; its CI knows where the version lives.
  expect(await readFile(name, 'catalog-info.yaml')).toContain(
    `argocd/app-selector: app.kubernetes.io/name=${name}`,
  );
  const versionKey = (await readFile(name, '.github/workflows/ci.yaml')).match(
    /GITOPS_VERSION_KEY: (\S+)/,
  )?.[1];
  expect(versionKey).toBeTruthy();

  // The GitOps pull request in team-web's repository carries the chart, values and Applications.
  const { data: pulls } = await github.pulls.list({
    owner: 'acme',
    repo: 'web-gitops',
    state: 'open',
    head: `acme:add-${name}`,
  });
  expect(pulls).toHaveLength(1);
  const { data: files } = await github.pulls.listFiles({
    owner: 'acme',
    repo: 'web-gitops',
    pull_number: pulls[0].number,
    per_page: 100,
  });
  const paths = files.map(f => f.filename);
  expect(paths).toEqual(
    expect.arrayContaining([
      `apps/${name}/Chart.yaml`,
      `apps/${name}/values.schema.json`,
      `apps/${name}/envs/dev/values.yaml`,
      `apps/${name}/envs/staging/values.yaml`,
      `apps/${name}/envs/prod/values.yaml`,
      `clusters/dev-1/apps/${name}.yaml`,
      `clusters/staging-1/apps/${name}.yaml`,
      `clusters/prod-eu-1/apps/${name}.yaml`,
      `clusters/prod-us-1/apps/${name}.yaml`,
    ]),
  );

  // What the template wrote: each cluster's Application, and its environment's initial version.
  const head = pulls[0].head.sha;
  const expected = await Promise.all(
    paths
      .filter(p => p.startsWith('clusters/'))
      .map(async path => {
        const application = parse(await readFile('web-gitops', path, head));
        // the Helm values file the Application renders with, relative to its chart
        const { source } = application.spec;
        const values = await readFile(
          'web-gitops',
          posix.join(source.path, source.helm.valueFiles[0]),
          head,
        );
        return {
          cluster: path.split('/')[1],
          application: application.metadata.name as string,
          version: String(valueAt(values, versionKey!)),
        };
      }),
  );
  expect(expected.map(e => e.cluster).sort()).toEqual([
    'dev-1',
    'prod-eu-1',
    'prod-us-1',
    'staging-1',
  ]);
  expect(expected.every(e => /^\d/.test(e.version))).toBe(true);

  // Merging makes the sandbox reconciler (playing Argo CD) create the Applications.
  await github.pulls.merge({
    owner: 'acme',
    repo: 'web-gitops',
    pull_number: pulls[0].number,
  });

  // The new service's GitOps tab shows all three environments, and in every cluster the
  // service's own Application deployed: named, Synced, running the template's initial version.
  // A cell is drawn for every configured cluster even when no Application lands there, so
  // this is what proves the Applications exist. To see it fail, run the sandbox with
  // SANDBOX_WITHHOLD_APPLICATIONS=1 (its app of apps then creates none):
  //   SANDBOX_WITHHOLD_APPLICATIONS=1 bash scripts/e2e.sh tests/template.spec.ts
  await expect(async () => {
    await openGitopsTab(page, name);
  }).toPass({ timeout: 120_000 });
  for (const environment of ['Development', 'Staging', 'Production']) {
    await expect(
      page.getByRole('region', { name: environment, exact: true }),
    ).toBeVisible({ timeout: 60_000 });
  }
  for (const { cluster, application, version } of expected) {
    const cell = clusterCell(page, cluster);
    await expect(
      cell.getByRole('link', { name: `Open ${application} in Argo CD` }),
    ).toBeVisible({ timeout: 60_000 });
    await expect(cell.getByText('Synced', { exact: true })).toBeVisible();
    await expect(liveVersion(cell)).toHaveText(version);
  }
  // Settled: the owner's Promote buttons are enabled once the permission check answered.
  await expect(
    page.getByRole('button', { name: 'Promote to Production' }),
  ).toBeEnabled();
  await page.screenshot({
    path: screenshotPath('template-new-service-gitops-tab'),
    fullPage: true,
    animations: 'disabled',
  });
});

test('an owner without a GitOps repository fails at the team step and writes nothing', async ({
  page,
}) => {
  const name = `e2e-bad-${Date.now().toString(36)}`;

  await openTemplate(page);
  await fillAndCreate(page, {
    name,
    ownerOption: /Release owners/,
    repo: name,
  });

  await expect(
    page
      .getByText(/group:default\/release-owners has no GitOps repository/)
      .first(),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    github.repos.get({ owner: 'acme', repo: name }),
  ).rejects.toMatchObject({ status: 404 });
  const { data: pulls } = await github.pulls.list({
    owner: 'acme',
    repo: 'web-gitops',
    state: 'all',
    head: `acme:add-${name}`,
  });
  expect(pulls).toHaveLength(0);
});
