import {
  ClusterState,
  EntityGitopsState,
  EnvironmentHistory,
} from '@backstage-gitops/plugin-gitops-common';
import {
  createGithubClient,
  createGithubRepoClient,
  GitopsRepoClientFactory,
  GitopsStateReader,
  PromotionConfig,
  readPromotionConfig,
} from '@backstage-gitops/plugin-gitops-node';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { Sandbox, startSandbox } from '@internal/gitops-sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';

const ROOT = path.resolve(
  resolvePackagePath('@internal/gitops-promotion-tests'),
  '../..',
);

/** The parts of a running sandbox the promotion tests use. */
export type SandboxEndpoints = Pick<Sandbox, 'urls' | 'caFile' | 'tokens'>;

/**
 * The portal's own config (`app-config.yaml`: environments, clusters, instances, promotion
 * settings, GitHub integration) pointed at a sandbox started on any ports.
 */
export function sandboxPortalConfig(sandbox: SandboxEndpoints) {
  const text = fs
    .readFileSync(path.join(ROOT, 'app-config.yaml'), 'utf8')
    .replace(/\$\{(\w+):-([^}]*)\}/g, '$2')
    .replace(/\$\{GITOPS_SANDBOX_DIR\}/g, path.dirname(sandbox.caFile));
  const config = yaml.parse(text);
  const api = new URL(sandbox.urls.githubApi);
  for (const instance of config.gitops.instances) {
    instance.url =
      instance.type === 'argocd'
        ? sandbox.urls.argocd[instance.name]
        : sandbox.urls.kube[instance.name];
    instance.token =
      instance.type === 'argocd'
        ? sandbox.tokens.argocd[instance.name]
        : sandbox.tokens.kube[instance.name];
    instance.caFile = sandbox.caFile;
  }
  return {
    app: { baseUrl: 'http://localhost:3000' },
    integrations: {
      github: [
        {
          host: api.host,
          apiBaseUrl: sandbox.urls.githubApi,
          token: sandbox.tokens.github,
        },
      ],
    },
    gitops: config.gitops,
  };
}

/** The promotion settings of the portal's config. */
export function sandboxPromotionConfig(
  sandbox: SandboxEndpoints,
): PromotionConfig {
  return readPromotionConfig(new ConfigReader(sandboxPortalConfig(sandbox)));
}

/** Counts of the GitHub requests a factory's clients made. */
export interface GithubRequestCounts {
  calls: number;
  writes: number;
  byRoute: Record<string, number>;
  /** Milliseconds spent per route, latency included. */
  msByRoute: Record<string, number>;
}

/**
 * Repository clients for the stand-in, built like production's (integration token, retry and
 * throttling), counting requests and optionally adding latency to each.
 */
export function countingGithubFactory(
  sandbox: SandboxEndpoints,
  options: { latencyMs?: number } = {},
): {
  factory: GitopsRepoClientFactory;
  counts: GithubRequestCounts;
  reset(): void;
} {
  const counts: GithubRequestCounts = {
    calls: 0,
    writes: 0,
    byRoute: {},
    msByRoute: {},
  };
  const integrations = ScmIntegrations.fromConfig(
    new ConfigReader(sandboxPortalConfig(sandbox)),
  );
  return {
    counts,
    reset() {
      counts.calls = 0;
      counts.writes = 0;
      counts.byRoute = {};
      counts.msByRoute = {};
    },
    factory: {
      async forRepo(repoUrl) {
        const octokit = await createGithubClient({ integrations, repoUrl });
        octokit.hook.wrap('request', async (request, requestOptions) => {
          counts.calls++;
          if (requestOptions.method !== 'GET') {
            counts.writes++;
          }
          const route = `${requestOptions.method} ${requestOptions.url}`;
          counts.byRoute[route] = (counts.byRoute[route] ?? 0) + 1;
          if (options.latencyMs) {
            await new Promise(resolve =>
              setTimeout(resolve, options.latencyMs),
            );
          }
          const started = Date.now();
          try {
            return await request(requestOptions);
          } finally {
            counts.msByRoute[route] =
              (counts.msByRoute[route] ?? 0) + Date.now() - started;
          }
        });
        return createGithubRepoClient(octokit, repoUrl);
      },
    },
  };
}

function cell(
  gitBaseUrl: string,
  service: string,
  repo: string,
  environment: string,
  cluster: string,
  version: string,
): ClusterState {
  return {
    cluster,
    environment,
    application: {
      instance: 'core',
      namespace: 'argocd',
      name: `${service}-${cluster}`,
    },
    sync: 'Synced',
    health: 'Healthy',
    liveImages: [`ghcr.io/acme/${service}:${version}`],
    liveVersion: version,
    desiredVersion: version,
    drift: {
      outOfSync: [],
      requiresPruning: [],
      missing: [],
      comparisonErrors: [],
      expected: [],
    },
    skew: false,
    desiredSource: {
      repoUrl: `${gitBaseUrl}/acme/${repo}.git`,
      path: `apps/${service}/envs/${environment}/values.yaml`,
      ref: 'main',
      locator: { type: 'helm-values', key: 'image.tag' },
    },
  };
}

/**
 * storefront-web as the sandbox's story has it: healthy everywhere, staging on `stagingVersion`
 * (1.5.0), prod on 1.4.2. Its desired versions live in `acme/web-gitops`.
 */
export function storefrontState(
  sandbox: SandboxEndpoints,
  stagingVersion = '1.5.0',
): EntityGitopsState {
  const web = sandbox.urls.githubWeb;
  const clusters = [
    cell(
      web,
      'storefront-web',
      'web-gitops',
      'staging',
      'staging-1',
      stagingVersion,
    ),
    cell(web, 'storefront-web', 'web-gitops', 'prod', 'prod-eu-1', '1.4.2'),
    cell(web, 'storefront-web', 'web-gitops', 'prod', 'prod-us-1', '1.4.2'),
  ];
  return {
    entityRef: 'component:default/storefront-web',
    status: 'ok',
    environments: ['staging', 'prod'].map(name => ({
      name,
      title: name,
      clusters: clusters.filter(c => c.environment === name),
      versions: [],
      skew: false,
      health: 'Healthy',
      sync: 'Synced',
    })),
    errors: [],
    updatedAt: new Date().toISOString(),
  };
}

/** A state reader over a fixed state, with prod's history holding 1.4.1 and 1.4.2. */
export function staticStateReader(
  state: EntityGitopsState,
): GitopsStateReader & {
  getState(): Promise<EntityGitopsState>;
  getHistory(entity: unknown, environment: string): Promise<EnvironmentHistory>;
} {
  const history = (environment: string): EnvironmentHistory => ({
    entityRef: state.entityRef,
    environment,
    errors: [],
    entries: (environment === 'prod' ? ['1.4.2', '1.4.1'] : ['1.5.0']).map(
      (version, id) => ({
        cluster: environment === 'prod' ? 'prod-eu-1' : 'staging-1',
        application: { instance: 'core', namespace: 'argocd', name: 'x' },
        id,
        version,
        images: [],
      }),
    ),
  });
  return {
    getEntityState: async () => state,
    getEnvironmentHistory: async (_ref, environment) => history(environment),
    getState: async () => state,
    getHistory: async (_entity, environment) => history(environment),
  };
}

/** Starts a sandbox on free ports in its own directory, so tests run beside a running portal. */
export async function startIsolatedSandbox(
  options: { latencyMs?: Record<string, number> } = {},
) {
  return startSandbox({
    ports: { coreKube: 0, edgeArgoCd: 0, github: 0, control: 0 },
    stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-promotion-')),
    latencyMs: options.latencyMs,
  });
}
