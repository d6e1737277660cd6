import {
  EntityGitopsState,
  EnvironmentHistory,
  PromotionRequest,
  VersionSource,
} from '@backstage-gitops/plugin-gitops-common';
import {
  mockClusterState,
  mockEntityState,
} from '@backstage-gitops/plugin-gitops-common/testUtils';
import {
  createGithubClient,
  createGithubRepoClient,
  executePromotion,
  GitopsRepoClientFactory,
  GitopsStateReader,
  PromotionConfig,
  PromotionContext,
  PromotionDeps,
  planPromotion,
  readGitopsConfig,
} from '@backstage-gitops/plugin-gitops-node';
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import {
  type Sandbox,
  type SandboxEndpoints,
  sandboxPortalConfig,
  startIsolatedSandbox,
} from '@internal/gitops-sandbox';

/** The promotion settings of the portal's config. */
export function sandboxPromotionConfig(
  sandbox: SandboxEndpoints,
): PromotionConfig {
  return readGitopsConfig(new ConfigReader(sandboxPortalConfig(sandbox)))
    .promotion;
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

/**
 * storefront-web as the sandbox's story has it: healthy everywhere, staging on `stagingVersion`
 * (1.5.0), prod on 1.4.2. Its desired versions live in `acme/web-gitops`; `sources` overrides
 * where a cluster's version is read, e.g. `{ 'prod-eu-1': { ref: 'HEAD' } }`.
 */
export function storefrontState(
  sandbox: SandboxEndpoints,
  stagingVersion = '1.5.0',
  sources: Record<string, Partial<VersionSource>> = {},
): EntityGitopsState {
  const cell = (environment: string, cluster: string, version: string) =>
    mockClusterState({
      environment,
      cluster,
      version,
      service: 'storefront-web',
      repoUrl: `${sandbox.urls.githubWeb}/acme/web-gitops.git`,
      source: sources[cluster],
    });
  return mockEntityState('component:default/storefront-web', [
    cell('staging', 'staging-1', stagingVersion),
    cell('prod', 'prod-eu-1', '1.4.2'),
    cell('prod', 'prod-us-1', '1.4.2'),
  ]);
}

/** The promotion the sandbox's story is about: storefront-web from staging to prod. */
export const storefrontPromotion: PromotionRequest = {
  entityRef: 'component:default/storefront-web',
  from: 'staging',
  to: 'prod',
};

/** `actor` promoting storefront-web as permitted, on behalf of its owner group:default/web. */
let promotedEntities = 0;

/**
 * storefront-web's promotion under a name of its own (same state and values file, another
 * branch), so a test sets up what it needs and does not depend on the others' order.
 */
export function freshStorefrontPromotion(prefix = 'storefront-web'): {
  request: PromotionRequest;
  branch: string;
} {
  const name = `${prefix}-${++promotedEntities}`;
  return {
    request: { ...storefrontPromotion, entityRef: `component:default/${name}` },
    branch: `gitops/promote/${name}/prod`,
  };
}

export function storefrontContext(
  actor = 'user:default/jane',
): PromotionContext {
  return { actor, permitted: true, owner: 'group:default/web' };
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

/** Plans a promotion and executes that plan with the same context and dependencies. */
export async function planAndExecute(
  request: PromotionRequest,
  context: PromotionContext,
  deps: PromotionDeps,
) {
  return executePromotion(
    await planPromotion(request, context, deps),
    context,
    deps,
  );
}

/**
 * Gives clusters of storefront-web's prod values files of their own (`paths`), each a copy of
 * prod's shared values file on main, and returns that file's content.
 */
export async function commitClusterValues(
  sandbox: Sandbox,
  paths: string[],
): Promise<string> {
  const client = await countingGithubFactory(sandbox).factory.forRepo(
    `${sandbox.urls.githubWeb}/acme/web-gitops.git`,
  );
  const shared = (await client.getFile(
    'apps/storefront-web/envs/prod/values.yaml',
    'main',
  ))!.content;
  await sandbox.github.store.commitFiles('acme', 'web-gitops', {
    message: `${paths.join(', ')}: values of their own`,
    files: Object.fromEntries(paths.map(file => [file, shared])),
  });
  return shared;
}

/** Starts a sandbox on free ports in its own directory, so tests run beside a running portal. */
export function startPromotionSandbox(
  options: { latencyMs?: Record<string, number> } = {},
) {
  return startIsolatedSandbox('gitops-promotion', options);
}
