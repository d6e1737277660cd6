import fs from 'node:fs';
import path from 'node:path';
import yaml from 'yaml';
import type { Sandbox } from '../sandbox';
import { repoRoot } from './repoRoot';

/** The parts of a running sandbox a portal config needs. */
export type SandboxEndpoints = Pick<
  Sandbox,
  'urls' | 'caFile' | 'tokens' | 'instances'
>;

/**
 * The `gitops` block of the portal's `app-config.yaml`, pointed at a sandbox started on any
 * ports (and in any state directory). For a generated world (no sample world), the block is
 * built from the sandbox's control planes instead: environments dev, staging and prod, each
 * with the `<instance>-<env>` cluster of every control plane, read through Kubernetes.
 */
export function sandboxGitopsConfig(
  sandbox: SandboxEndpoints,
): Record<string, any> {
  if (!sandbox.instances.core) {
    return generatedGitopsConfig(sandbox);
  }
  const text = fs
    .readFileSync(path.join(repoRoot(), 'app-config.yaml'), 'utf8')
    .replace(/\$\{(\w+):-([^}]*)\}/g, '$2')
    .replace(/\$\{GITOPS_SANDBOX_DIR\}/g, path.dirname(sandbox.caFile));
  const gitops = yaml.parse(text).gitops;
  for (const instance of gitops.instances) {
    const argocd = instance.type === 'argocd';
    instance.url = argocd
      ? sandbox.urls.argocd[instance.name]
      : sandbox.urls.kube[instance.name];
    instance.token = argocd
      ? sandbox.tokens.argocd[instance.name]
      : sandbox.tokens.kube[instance.name];
    instance.caFile = sandbox.caFile;
  }
  return gitops;
}

function generatedGitopsConfig(sandbox: SandboxEndpoints) {
  const instances = Object.values(sandbox.instances);
  const envs = ['dev', 'staging', 'prod'];
  return {
    environments: envs.map(env => ({
      name: env,
      clusters: instances.map(i => `${i.name}-${env}`),
    })),
    clusters: instances.flatMap(i => i.clusters),
    instances: instances.map(i => ({
      name: i.name,
      type: i.kube ? 'kubernetes' : 'argocd',
      url: i.kube ? sandbox.urls.kube[i.name] : sandbox.urls.argocd[i.name],
      token: i.kube
        ? sandbox.tokens.kube[i.name]
        : sandbox.tokens.argocd[i.name],
      caFile: sandbox.caFile,
      clusters: i.clusters.map(c => c.name),
    })),
  };
}

/**
 * A whole backend config for the GitOps plugin against a sandbox: `gitops` (see
 * {@link sandboxGitopsConfig}) plus the GitHub integration of the stand-in, with the permission
 * framework on as in the example portal (promotion is refused while it is off).
 */
export function sandboxPortalConfig(
  sandbox: SandboxEndpoints,
): Record<string, any> {
  const api = new URL(sandbox.urls.githubApi);
  return {
    app: { baseUrl: 'http://localhost:3000' },
    permission: { enabled: true },
    integrations: {
      github: [
        {
          host: api.host,
          apiBaseUrl: sandbox.urls.githubApi,
          token: sandbox.tokens.github,
        },
      ],
    },
    gitops: sandboxGitopsConfig(sandbox),
  };
}
