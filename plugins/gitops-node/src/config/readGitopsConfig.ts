import { Config } from '@backstage/config';
import { GitopsTopology } from '@backstage-gitops/plugin-gitops-common';
import { DEFAULT_YAML_LIMITS, YamlLimits } from '../yaml';
import { readCacheLimits } from './cacheLimits';
import {
  ConfigProblems,
  readDurationMs,
  readWholeNumber,
} from './configProblems';
import { BUILT_IN_INSTANCE_TYPES, GITOPS_CONFIG_DEFAULTS } from './defaults';
import { readKubernetesPluginClusters } from './kubernetesClusters';
import { readPromotionConfig } from './promotionConfig';
import { readInstances } from './readInstances';
import { readTemplateConfig } from './templateConfig';
import { GitopsConfig } from './types';

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_RULE = 'must be a lowercase name of letters, digits and dashes';

function readClusters(
  config: Config,
  problems: ConfigProblems,
): GitopsTopology['clusters'] {
  const kubernetes = readKubernetesPluginClusters(config);
  const entries = problems.read(() =>
    config.getOptionalConfigArray('gitops.clusters'),
  );
  // A portal that lists its clusters for the Kubernetes plugin need not list them again: they
  // are the destinations, named as there, with their API server URL as `destination.server`.
  if (!entries) {
    return kubernetes.map(c => ({
      name: c.name,
      ...(c.url ? { server: c.url } : {}),
    }));
  }
  return entries.flatMap((entry, i) => {
    const key = `gitops.clusters[${i}]`;
    const cluster = problems.read(() => ({
      name: entry.getString('name'),
      server: entry.getOptionalString('server'),
      aliases: entry.getOptionalStringArray('aliases'),
    }));
    if (!cluster) return [];
    if (!NAME.test(cluster.name)) {
      problems.add(`${key}.name`, `'${cluster.name}' ${NAME_RULE}`);
    }
    if (cluster.server !== undefined && !URL.canParse(cluster.server)) {
      problems.add(`${key}.server`, `'${cluster.server}' is not a URL`);
    }
    const server =
      cluster.server ?? kubernetes.find(c => c.name === cluster.name)?.url;
    return [
      {
        name: cluster.name,
        ...(server ? { server } : {}),
        ...(cluster.aliases ? { aliases: cluster.aliases } : {}),
      },
    ];
  });
}

function readEnvironments(
  config: Config,
  clusters: GitopsTopology['clusters'],
  problems: ConfigProblems,
): GitopsTopology['environments'] {
  const entries =
    problems.read(() => config.getOptionalConfigArray('gitops.environments')) ??
    [];
  if (entries.length === 0) {
    problems.add(
      'gitops.environments',
      'configure at least one environment, e.g. [{ name: prod, clusters: [prod-eu-1] }]',
    );
  }
  const clusterNames = new Set(clusters.map(c => c.name));
  const owners = new Map<string, string>();
  return entries.flatMap((entry, i) => {
    const key = `gitops.environments[${i}]`;
    const env = problems.read(() => ({
      name: entry.getString('name'),
      title: entry.getOptionalString('title'),
      clusters: entry.getOptionalStringArray('clusters') ?? [],
    }));
    if (!env) return [];
    if (!NAME.test(env.name)) {
      problems.add(`${key}.name`, `'${env.name}' ${NAME_RULE}`);
    }
    env.clusters.forEach((cluster, j) => {
      if (!clusterNames.has(cluster)) {
        problems.add(
          `${key}.clusters[${j}]`,
          `cluster ${cluster} is not listed under gitops.clusters${
            config.has('gitops.clusters')
              ? ''
              : ' (nor kubernetes.clusterLocatorMethods)'
          }`,
        );
      }
      const owner = owners.get(cluster);
      if (owner) {
        problems.add(
          `${key}.clusters[${j}]`,
          `cluster ${cluster} already belongs to environment ${owner}`,
        );
      }
      owners.set(cluster, env.name);
    });
    return [
      { name: env.name, title: env.title ?? env.name, clusters: env.clusters },
    ];
  });
}

/**
 * An instance's `clusters` must be configured clusters: they say which cluster an in-cluster
 * destination (`in-cluster`, `https://kubernetes.default.svc`) of its Applications means.
 */
function checkInstanceClusters(
  instances: GitopsConfig['instances'],
  clusters: GitopsTopology['clusters'],
  problems: ConfigProblems,
) {
  const names = new Set(clusters.map(c => c.name));
  instances.forEach((instance, i) => {
    (instance.clusters ?? []).forEach((cluster, j) => {
      if (!names.has(cluster)) {
        problems.add(
          `${instance.configKey ?? `gitops.instances[${i}]`}.clusters[${j}]`,
          `cluster ${cluster} is not a configured cluster; name one of gitops.clusters (${[
            ...names,
          ].join(', ')})`,
        );
      }
    });
  });
}

function readYamlLimitsConfig(
  config: Config,
  problems: ConfigProblems,
): YamlLimits {
  const read = (key: keyof YamlLimits) =>
    readWholeNumber(
      config,
      {
        key: `gitops.yamlLimits.${key}`,
        path: `gitops.yamlLimits.${key}`,
        fallback: DEFAULT_YAML_LIMITS[key],
        min: 0,
      },
      problems,
    );
  return { maxBytes: read('maxBytes'), maxAliases: read('maxAliases') };
}

function findNames(values: string[]): string | undefined {
  return values.find((v, i) => values.indexOf(v) !== i);
}

/**
 * Reads and validates the `gitops` block of the app config, once, for the backend, the promotion
 * engine and the scaffolder module. Clusters and Argo CD instances a portal already configures
 * for the Kubernetes plugin (`kubernetes.clusterLocatorMethods`) or the community Argo CD plugin
 * (`argocd.appLocatorMethods`) are reused. Throws an InputError naming every offending key and
 * what to write, so a misconfiguration stops the backend at start-up.
 *
 * @public
 */
export function readGitopsConfig(
  config: Config,
  options: {
    /** Instance types that may be configured: the built-ins and those modules added. */
    instanceTypes?: readonly string[];
  } = {},
): GitopsConfig {
  const problems = new ConfigProblems();
  const d = GITOPS_CONFIG_DEFAULTS;
  const configured = config.has('gitops');
  const clusters = configured ? readClusters(config, problems) : [];
  const environments = configured
    ? readEnvironments(config, clusters, problems)
    : [];
  for (const [key, values] of [
    ['gitops.environments', environments.map(e => e.name)],
    ['gitops.clusters', clusters.map(c => c.name)],
  ] as const) {
    const dup = findNames(values);
    if (dup) problems.add(key, `name ${dup} is used twice`);
  }
  const instances = configured
    ? readInstances(
        config,
        options.instanceTypes ?? BUILT_IN_INSTANCE_TYPES,
        problems,
      )
    : [];
  checkInstanceClusters(instances, clusters, problems);
  const gitops = config.getOptionalConfig('gitops');
  const duration = (
    key: string,
    fallbackMs: number,
    renamedFrom: string | undefined,
    allowZero = false,
  ) =>
    gitops
      ? readDurationMs(
          gitops,
          {
            key,
            path: `gitops.${key}`,
            fallbackMs,
            renamedFrom: renamedFrom && key.replace(/[^.]+$/, renamedFrom),
            allowZero,
          },
          problems,
        )
      : fallbackMs;
  const yamlLimits = readYamlLimitsConfig(config, problems);
  const result: GitopsConfig = {
    topology: { environments, clusters },
    instances,
    environmentLabel:
      problems.read(() =>
        config.getOptionalString('gitops.environmentLabel'),
      ) ?? d.environmentLabel,
    maxApplicationsPerEntity: readWholeNumber(
      config,
      {
        key: 'gitops.maxApplicationsPerEntity',
        path: 'gitops.maxApplicationsPerEntity',
        fallback: d.maxApplicationsPerEntity,
        min: 1,
      },
      problems,
    ),
    helmValuesKey:
      problems.read(() =>
        config.getOptionalString('gitops.versionLocator.helmValuesKey'),
      ) ?? d.helmValuesKey,
    stallTimeoutMs: duration(
      'watch.stallTimeout',
      d.stallTimeoutMs,
      'stallTimeoutSeconds',
    ),
    pollIntervalMs: duration(
      'watch.pollInterval',
      d.pollIntervalMs,
      'pollIntervalSeconds',
    ),
    watchEstablishedMs: duration(
      'watch.established',
      d.watchEstablishedMs,
      'establishedSeconds',
    ),
    signalDebounceMs: duration(
      'signals.debounce',
      d.signalDebounceMs,
      'debounceMs',
      true,
    ),
    overviewRefreshMs: duration(
      'overview.refresh',
      d.overviewRefreshMs,
      undefined,
    ),
    gitTimeoutMs: duration('git.timeout', d.gitTimeoutMs, 'timeoutMs'),
    gitWaitMs: duration('git.requestWait', d.gitWaitMs, 'requestWaitMs'),
    gitBranchTtlMs: duration(
      'git.branchCache',
      d.gitBranchTtlMs,
      'branchCacheSeconds',
      true,
    ),
    yamlLimits,
    cache: readCacheLimits(config, problems),
    promotion: readPromotionConfig(
      config,
      environments.map(e => ({ name: e.name, clusters: e.clusters })),
      yamlLimits,
      problems,
    ),
    template: readTemplateConfig(
      config,
      environments.map(e => e.name),
      problems,
    ),
  };
  problems.throwIfAny();
  return result;
}
