import { ConfigReader } from '@backstage/config';
import { DEFAULT_YAML_LIMITS } from '../yaml';
import { GITOPS_CONFIG_DEFAULTS } from './defaults';
import { readGitopsConfig } from './readGitopsConfig';

type ConfigData = ConstructorParameters<typeof ConfigReader>[0];

const topology = {
  environments: [
    { name: 'staging', clusters: ['staging-1'] },
    { name: 'prod', clusters: ['prod-eu-1'] },
  ],
  clusters: [{ name: 'staging-1' }, { name: 'prod-eu-1' }],
};

function read(gitops: Record<string, unknown>, rest: ConfigData = {}) {
  return readGitopsConfig(new ConfigReader({ gitops, ...rest } as ConfigData));
}

// The shape of the Kubernetes plugin's documented config
// (https://backstage.io/docs/features/kubernetes/configuration#clusterlocatormethods).
const kubernetes = {
  serviceLocatorMethod: { type: 'multiTenant' },
  clusterLocatorMethods: [
    { type: 'catalog' },
    {
      type: 'config',
      clusters: [
        {
          name: 'staging-1',
          url: 'https://staging-1.example.com:6443',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'staging-token',
          caData: 'c3RhZ2luZy1jYQ==',
        },
        {
          name: 'prod-eu-1',
          url: 'https://prod-eu-1.example.com:6443',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'prod-token',
          skipTLSVerify: true,
        },
        {
          name: 'prod-us-1',
          url: 'https://prod-us-1.example.com:6443',
          authProvider: 'aws',
        },
      ],
    },
  ],
};

describe('readGitopsConfig', () => {
  it('fills every absent key from the defaults, in one place', () => {
    const config = read(topology);
    expect(config).toMatchObject({
      environmentLabel: GITOPS_CONFIG_DEFAULTS.environmentLabel,
      maxApplicationsPerEntity: 100,
      helmValuesKey: 'image.tag',
      stallTimeoutMs: 300_000,
      pollIntervalMs: 30_000,
      watchEstablishedMs: 5_000,
      signalDebounceMs: 500,
      overviewRefreshMs: 300_000,
      gitTimeoutMs: 10_000,
      gitWaitMs: 5_000,
      gitBranchTtlMs: 60_000,
      yamlLimits: DEFAULT_YAML_LIMITS,
      template: { syncPolicy: {}, prune: false },
    });
    expect(config.promotion).toMatchObject({
      releaseOwners: [],
      branchPrefix: 'gitops/promote',
      environments: [
        { name: 'staging', clusters: ['staging-1'] },
        { name: 'prod', clusters: ['prod-eu-1'] },
      ],
    });
    expect(readGitopsConfig(new ConfigReader({})).topology).toEqual({
      environments: [],
      clusters: [],
    });
  });

  it('reads durations as Backstage durations: strings, ISO 8601 and objects', () => {
    const config = read({
      ...topology,
      watch: { stallTimeout: '2 minutes', pollInterval: 'PT10S' },
      signals: { debounce: { milliseconds: 50 } },
      overview: { refresh: '2 minutes' },
      git: { timeout: '3s', branchCache: { seconds: 0 } },
      instances: [
        {
          name: 'core',
          type: 'argocd',
          url: 'https://argocd.example.com',
          token: 't',
          timeout: { seconds: 4 },
        },
      ],
    });
    expect(config).toMatchObject({
      stallTimeoutMs: 120_000,
      pollIntervalMs: 10_000,
      signalDebounceMs: 50,
      overviewRefreshMs: 120_000,
      gitTimeoutMs: 3_000,
      gitBranchTtlMs: 0,
    });
    expect(config.instances[0].timeoutMs).toBe(4_000);
  });

  it('refuses the keys of earlier releases, naming the key that replaced them', () => {
    expect(() =>
      read({
        ...topology,
        watch: { stallTimeoutSeconds: 5 },
        git: { requestWaitMs: 100 },
      }),
    ).toThrow(
      /gitops.watch.stallTimeoutSeconds: renamed: write gitops.watch.stallTimeout as a duration instead, e.g. '5 minutes'.*gitops.git.requestWaitMs: renamed: write gitops.git.requestWait/,
    );
  });

  it('lists every problem with its key path and what to write, in one error', () => {
    let message = '';
    try {
      read({
        environments: [
          { name: 'Prod', clusters: ['prod-eu-1', 'nowhere'] },
          { name: 'dr', clusters: ['prod-eu-1'] },
        ],
        clusters: [{ name: 'prod-eu-1', server: 'not a url' }],
        watch: { stallTimeout: 'soon' },
        maxApplicationsPerEntity: 0,
        instances: [{ name: 'x', type: 'flux', url: 'https://x.example' }],
        promotion: {
          branchPrefix: 'Promote/',
          waves: { dr: [['prod-us-1']] },
        },
        template: { syncPolicy: { prod: 'sometimes' } },
      });
    } catch (error) {
      message = (error as Error).message;
    }
    for (const expected of [
      "gitops.environments[0].name: 'Prod' must be a lowercase name",
      'gitops.environments[0].clusters[1]: cluster nowhere is not listed under gitops.clusters',
      'gitops.environments[1].clusters[0]: cluster prod-eu-1 already belongs to environment Prod',
      "gitops.clusters[0].server: 'not a url' is not a URL",
      'gitops.watch.stallTimeout: ',
      "write a duration such as '30 seconds'",
      'gitops.maxApplicationsPerEntity: must be a whole number of at least 1, not 0',
      'gitops.instances[0].type: no source reads instances of type flux (registered types: kubernetes, argocd); fix the type or add the backend module that reads it',
      "gitops.promotion.branchPrefix: 'Promote/' must be lowercase words",
      'gitops.promotion.waves.dr: cluster prod-us-1 is not in environment dr',
      "gitops.template.syncPolicy.prod: must be 'automated' or 'manual', not 'sometimes'",
    ]) {
      expect(message).toContain(expected);
    }
  });

  it('names the key of a value of the wrong type', () => {
    expect(() => read({ ...topology, environmentLabel: 42 })).toThrow(
      /gitops.environmentLabel/,
    );
  });

  it('accepts instance types that modules registered', () => {
    const config = readGitopsConfig(
      new ConfigReader({
        gitops: {
          ...topology,
          instances: [{ name: 'x', type: 'flux', url: 'https://x.example' }],
        },
      }),
      { instanceTypes: ['kubernetes', 'argocd', 'flux'] },
    );
    expect(config.instances.map(i => i.type)).toEqual(['flux']);
  });

  it('reads gitops.yamlLimits', () => {
    expect(
      read({ ...topology, yamlLimits: { maxAliases: 10 } }).yamlLimits,
    ).toEqual({ maxBytes: 128 * 1024, maxAliases: 10 });
    expect(() => read({ ...topology, yamlLimits: { maxBytes: -1 } })).toThrow(
      /gitops.yamlLimits.maxBytes: must be a whole number of at least 0/,
    );
  });

  it('reads release owners and the template settings', () => {
    const config = read({
      ...topology,
      promotion: { releaseOwners: ['group:default/release-managers'] },
      template: {
        project: 'payments',
        syncPolicy: { staging: 'manual' },
        prune: true,
      },
    });
    expect(config.promotion.releaseOwners).toEqual([
      'group:default/release-managers',
    ]);
    expect(config.template).toEqual({
      project: 'payments',
      syncPolicy: { staging: 'manual' },
      prune: true,
    });
  });
});

describe('clusters of the Kubernetes plugin config', () => {
  it('takes the destination clusters from kubernetes.clusterLocatorMethods when gitops.clusters is absent', () => {
    const config = read(
      { environments: topology.environments },
      { kubernetes },
    );
    expect(config.topology.clusters).toEqual([
      { name: 'staging-1', server: 'https://staging-1.example.com:6443' },
      { name: 'prod-eu-1', server: 'https://prod-eu-1.example.com:6443' },
      { name: 'prod-us-1', server: 'https://prod-us-1.example.com:6443' },
    ]);
  });

  it('completes the server of a gitops.clusters entry from the cluster of its name', () => {
    const config = read(
      {
        ...topology,
        clusters: [
          { name: 'staging-1', aliases: ['in-cluster'] },
          { name: 'prod-eu-1', server: 'https://prod.example.com' },
        ],
      },
      { kubernetes },
    );
    expect(config.topology.clusters).toEqual([
      {
        name: 'staging-1',
        server: 'https://staging-1.example.com:6443',
        aliases: ['in-cluster'],
      },
      { name: 'prod-eu-1', server: 'https://prod.example.com' },
    ]);
  });

  it('reads a fromKubernetesConfig instance through the cluster of its name', () => {
    const config = read(
      {
        ...topology,
        instances: [
          {
            name: 'prod-eu-1',
            type: 'kubernetes',
            fromKubernetesConfig: true,
            namespaces: ['argocd'],
            uiUrl: 'https://argocd.prod.example.com',
          },
        ],
      },
      { kubernetes },
    );
    expect(config.instances).toEqual([
      expect.objectContaining({
        name: 'prod-eu-1',
        type: 'kubernetes',
        url: 'https://prod-eu-1.example.com:6443',
        token: 'prod-token',
        skipTLSVerify: true,
        namespaces: ['argocd'],
        configKey: 'gitops.instances[0]',
      }),
    ]);
    expect(config.instances[0]).not.toHaveProperty('fromKubernetesConfig');
  });

  it.each([
    [
      { name: 'prod-ap-1' },
      'gitops.instances[0]: fromKubernetesConfig names no cluster prod-ap-1 under kubernetes.clusterLocatorMethods[].clusters (type config; found: staging-1, prod-eu-1, prod-us-1)',
    ],
    [
      { name: 'prod-us-1' },
      'kubernetes.clusterLocatorMethods[1].clusters[2]: gitops reads this cluster with a service account: set authProvider: serviceAccount and serviceAccountToken (it is aws)',
    ],
    [
      { name: 'prod-eu-1', token: 'mine' },
      'gitops.instances[0]: fromKubernetesConfig takes url and token from kubernetes.clusterLocatorMethods; remove token here',
    ],
    [
      { name: 'prod-eu-1', type: 'argocd' },
      'gitops.instances[0]: fromKubernetesConfig is for kubernetes instances only',
    ],
  ])('refuses %j', (instance, message) => {
    expect(() =>
      read(
        {
          ...topology,
          instances: [
            { type: 'kubernetes', fromKubernetesConfig: true, ...instance },
          ],
        },
        { kubernetes },
      ),
    ).toThrow(message);
  });
});
