import {
  ClusterState,
  Drift,
  EntityGitopsState,
  EnvironmentState,
} from '@backstage-gitops/plugin-gitops-common';

/** Test data shaped like the sandbox's three sample services. Used by tests only. */

const noDrift: Drift = {
  outOfSync: [],
  requiresPruning: [],
  missing: [],
  comparisonErrors: [],
  expected: [],
};

const sha = (seed: string) => seed.repeat(40).slice(0, 40);

export function clusterState(
  service: string,
  environment: string,
  cluster: string,
  version: string,
  overrides: Partial<ClusterState> = {},
): ClusterState {
  const revision = sha(cluster.length.toString(16));
  return {
    cluster,
    environment,
    application: {
      instance: cluster === 'prod-us-1' ? 'edge' : 'core',
      namespace: 'argocd',
      name: `${service}-${cluster}`,
      url: `https://argocd.example.com/applications/argocd/${service}-${cluster}`,
    },
    sync: 'Synced',
    health: 'Healthy',
    liveImages: [`ghcr.io/acme/${service}:${version}`],
    liveVersion: version,
    desiredVersion: version,
    revision,
    revisionUrl: `https://github.example.com/acme/gitops/commit/${revision}`,
    lastSyncedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    drift: noDrift,
    skew: false,
    ...overrides,
  };
}

export function environmentState(
  name: string,
  title: string,
  clusters: ClusterState[],
  overrides: Partial<EnvironmentState> = {},
): EnvironmentState {
  const versions = [
    ...new Set(clusters.flatMap(c => (c.liveVersion ? [c.liveVersion] : []))),
  ];
  return {
    name,
    title,
    clusters,
    version: versions.length === 1 ? versions[0] : undefined,
    versions,
    skew: versions.length > 1,
    health: clusters.every(c => c.health === 'Healthy')
      ? 'Healthy'
      : 'Degraded',
    sync: clusters.every(c => c.sync === 'Synced') ? 'Synced' : 'OutOfSync',
    ...overrides,
  };
}

function pipeline(
  service: string,
  versions: { dev: string; staging: string; prodEu: string; prodUs: string },
  prodUs: Partial<ClusterState> = {},
): EntityGitopsState {
  const dev = environmentState(
    'dev',
    'Development',
    [clusterState(service, 'dev', 'dev-1', versions.dev)],
    { next: 'staging' },
  );
  const staging = environmentState(
    'staging',
    'Staging',
    [clusterState(service, 'staging', 'staging-1', versions.staging)],
    {
      next: 'prod',
      lag: {
        previousEnvironment: 'dev',
        previousVersion: versions.dev,
        behind: versions.dev !== versions.staging,
      },
    },
  );
  const prod = environmentState(
    'prod',
    'Production',
    [
      clusterState(service, 'prod', 'prod-eu-1', versions.prodEu),
      clusterState(service, 'prod', 'prod-us-1', versions.prodUs, prodUs),
    ],
    {
      lag: {
        previousEnvironment: 'staging',
        previousVersion: versions.staging,
        behind: versions.staging !== versions.prodEu,
        versionsBehind: versions.staging !== versions.prodEu ? 1 : undefined,
      },
    },
  );
  return {
    entityRef: `component:default/${service}`,
    status: 'ok',
    environments: [dev, staging, prod],
    errors: [],
    updatedAt: new Date().toISOString(),
  };
}

/** checkout-api: prod-us-1 drifted from Git (a ConfigMap edited by hand, HPA replicas expected). */
export const checkoutApiState = pipeline(
  'checkout-api',
  { dev: '2.3.0', staging: '2.3.0', prodEu: '2.3.0', prodUs: '2.3.0' },
  {
    sync: 'OutOfSync',
    drift: {
      outOfSync: [
        {
          kind: 'ConfigMap',
          namespace: 'checkout',
          name: 'checkout-api-config',
          status: 'OutOfSync',
        },
      ],
      requiresPruning: [
        {
          kind: 'Service',
          namespace: 'checkout',
          name: 'checkout-api-legacy',
          status: 'OutOfSync',
          requiresPruning: true,
        },
      ],
      missing: [],
      comparisonErrors: [],
      expected: [
        {
          group: 'apps',
          kind: 'Deployment',
          namespace: 'checkout',
          name: 'checkout-api',
          status: 'OutOfSync',
        },
      ],
    },
  },
);

/** payments-worker: the two prod clusters run different versions; prod-us-1 lags its desired one. */
export const paymentsWorkerState = pipeline(
  'payments-worker',
  { dev: '0.9.1', staging: '0.9.1', prodEu: '0.9.1', prodUs: '0.8.4' },
  { desiredVersion: '0.9.1', skew: true },
);

/** storefront-web: healthy everywhere, staging (1.5.0) one version ahead of prod (1.4.2). */
export const storefrontWebState = pipeline('storefront-web', {
  dev: '1.5.0',
  staging: '1.5.0',
  prodEu: '1.4.2',
  prodUs: '1.4.2',
});

/** storefront-web with the edge instance (prod-us-1) unreachable. */
export const edgeUnreachableState: EntityGitopsState = (() => {
  const state = pipeline('storefront-web', {
    dev: '1.5.0',
    staging: '1.5.0',
    prodEu: '1.4.2',
    prodUs: '1.4.2',
  });
  const error = {
    source: 'instance:edge',
    instance: 'edge',
    cluster: 'prod-us-1',
    kind: 'unreachable' as const,
    message: 'connect ECONNREFUSED 127.0.0.1:7451',
    since: new Date(Date.now() - 2 * 60_000).toISOString(),
  };
  const prod = state.environments[2];
  // as the backend reports an instance it never reached: the cell knows only the failure
  prod.clusters[1] = {
    ...prod.clusters[1],
    application: undefined,
    sync: 'Unknown',
    health: 'Unknown',
    liveVersion: undefined,
    liveImages: [],
    error,
  };
  return { ...state, errors: [error] };
})();
