import { expect, test } from '@playwright/test';
import { signInAsGuest } from '@internal/gitops-e2e/src/portal';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** The actions the golden-path template's steps use. */
function templateActions(): string[] {
  const file = resolve(
    __dirname,
    '../../../templates/gitops-service/template.yaml',
  );
  const steps = parseAllDocuments(readFileSync(file, 'utf8')).flatMap(
    doc => (doc.toJS()?.spec?.steps ?? []) as { action: string }[],
  );
  return [...new Set(steps.map(s => s.action))];
}

test("the template's actions, gitops:* among them, are registered with the scaffolder", async ({
  page,
}) => {
  const actions = templateActions();
  expect(actions).toEqual(
    expect.arrayContaining([
      'gitops:team:resolve',
      'gitops:application:create',
    ]),
  );
  await signInAsGuest(page);
  await page.goto('/create/actions');
  // the scaffolder's "Installed actions" list, one row per action id
  const installed = page.getByLabel('Installed actions');
  for (const action of actions) {
    await expect(installed.getByText(action, { exact: true })).toBeVisible();
  }
});
