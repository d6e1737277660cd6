import { createGitopsApplicationCreateAction } from '@backstage-gitops/plugin-scaffolder-backend-module-gitops';
import { ConfigReader } from '@backstage/config';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { chartDir, repoRoot } from './paths';

/** The portal's own `gitops:` config (environments and clusters of the sandbox). */
export function portalGitopsConfig() {
  const appConfig = yaml.parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  return new ConfigReader({ gitops: appConfig.gitops });
}

/**
 * Runs the real `gitops:application:create` action over the real golden-path chart, as the
 * template does, and returns the folder holding the rendered GitOps repository content.
 */
export async function renderService(input: Record<string, unknown>) {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-template-'));
  fs.cpSync(chartDir, path.join(workspace, 'chart'), { recursive: true });
  const action = createGitopsApplicationCreateAction({
    config: portalGitopsConfig(),
  });
  const ctx = createMockActionContext({
    input: input as any,
    workspacePath: workspace,
  });
  await action.handler(ctx);
  const outputs = Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
  );
  return {
    gitopsDir: path.join(workspace, 'gitops'),
    outputs,
    cleanup: () => fs.rmSync(workspace, { recursive: true, force: true }),
  };
}
