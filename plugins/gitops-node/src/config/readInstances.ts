import { Config } from '@backstage/config';
import {
  argocdAuthProblem,
  borrowingProblem,
  FROM_ARGOCD_CONFIG,
  FROM_KUBERNETES_CONFIG,
} from './argocdAuth';
import {
  INSTANCE_NAME,
  INSTANCE_NAME_RULE,
  resolveInstances,
} from './communityArgocdInstances';
import { ConfigProblems, readDurationMs } from './configProblems';
import { BUILT_IN_INSTANCE_TYPES, GITOPS_CONFIG_DEFAULTS } from './defaults';
import { resolveKubernetesInstances } from './kubernetesInstances';
import { InstanceConfig } from './types';

/** What a declared entry may say beyond {@link InstanceConfig}. */
export type DeclaredInstance = InstanceConfig & {
  fromArgocdConfig?: boolean;
  fromKubernetesConfig?: boolean;
};

function readDeclaredInstance(
  entry: Config,
  configKey: string,
  instanceTypes: readonly string[],
  problems: ConfigProblems,
): DeclaredInstance | undefined {
  const instance = problems.read(
    (): DeclaredInstance => ({
      name: entry.getString('name'),
      type: entry.getString('type'),
      fromArgocdConfig: entry.getOptionalBoolean('fromArgocdConfig'),
      fromKubernetesConfig: entry.getOptionalBoolean('fromKubernetesConfig'),
      url: entry.getOptionalString('url'),
      token: entry.getOptionalString('token'),
      username: entry.getOptionalString('username'),
      password: entry.getOptionalString('password'),
      caData: entry.getOptionalString('caData'),
      caFile: entry.getOptionalString('caFile'),
      skipTLSVerify: entry.getOptionalBoolean('skipTLSVerify'),
      kubeconfigPath: entry.getOptionalString('kubeconfigPath'),
      context: entry.getOptionalString('context'),
      namespaces: entry.getOptionalStringArray('namespaces'),
      uiUrl: entry.getOptionalString('uiUrl'),
      clusters: entry.getOptionalStringArray('clusters'),
      timeoutMs: readDurationMs(
        entry,
        {
          key: 'timeout',
          path: `${configKey}.timeout`,
          fallbackMs: GITOPS_CONFIG_DEFAULTS.instanceTimeoutMs,
          renamedFrom: 'timeoutMs',
        },
        problems,
      ),
      configKey,
    }),
  );
  if (!instance) return undefined;
  if (!INSTANCE_NAME.test(instance.name)) {
    problems.add(`${configKey}.name`, INSTANCE_NAME_RULE);
    return undefined;
  }
  if (!instanceTypes.includes(instance.type)) {
    problems.add(
      `${configKey}.type`,
      `no source reads instances of type ${
        instance.type
      } (registered types: ${instanceTypes.join(
        ', ',
      )}); fix the type or add the backend module that reads it`,
    );
    return undefined;
  }
  if (!BUILT_IN_INSTANCE_TYPES.includes(instance.type)) {
    // The keys of a type a module added are the module's to read and check.
    return { ...(entry.get() as object), ...instance } as DeclaredInstance;
  }
  const problem = declaredInstanceProblem(instance);
  if (problem) {
    problems.add(configKey, problem);
    return undefined;
  }
  return instance;
}

function declaredInstanceProblem(
  instance: DeclaredInstance,
): string | undefined {
  for (const key of ['url', 'uiUrl'] as const) {
    const value = instance[key];
    if (value !== undefined && !URL.canParse(value)) {
      return `${key} '${value}' is not a URL`;
    }
  }
  if (instance.fromArgocdConfig) {
    return borrowingProblem(FROM_ARGOCD_CONFIG, instance);
  }
  if (instance.fromKubernetesConfig) {
    return borrowingProblem(FROM_KUBERNETES_CONFIG, instance);
  }
  if (
    !instance.url &&
    !(instance.type === 'kubernetes' && instance.kubeconfigPath)
  ) {
    return instance.type === 'kubernetes'
      ? 'needs url (with token), kubeconfigPath, or fromKubernetesConfig: true'
      : 'needs url, or fromArgocdConfig: true';
  }
  return argocdAuthProblem(instance);
}

/**
 * The instances the state is read from: `gitops.instances`, each `fromArgocdConfig` entry
 * completed from the community Argo CD plugin's instance of its name and each
 * `fromKubernetesConfig` entry from the Kubernetes plugin's cluster of its name; when
 * `gitops.instances` is absent, every instance of the community Argo CD plugin's config.
 */
export function readInstances(
  config: Config,
  instanceTypes: readonly string[],
  problems: ConfigProblems,
): InstanceConfig[] {
  const entries = problems.read(() =>
    config.getOptionalConfigArray('gitops.instances'),
  );
  const declared = entries?.flatMap((entry, i) => {
    const instance = readDeclaredInstance(
      entry,
      `gitops.instances[${i}]`,
      instanceTypes,
      problems,
    );
    return instance ? [instance] : [];
  });
  const names = declared?.map(i => i.name) ?? [];
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) problems.add('gitops.instances', `name ${dup} is used twice`);

  const fromArgocd = resolveInstances(config, declared);
  fromArgocd.problems.forEach(p => problems.add(p.key, p.message));
  const resolved = resolveKubernetesInstances(config, fromArgocd.instances);
  resolved.problems.forEach(p => problems.add(p.key, p.message));
  return resolved.instances.map(
    ({ fromArgocdConfig, fromKubernetesConfig, ...instance }) => instance,
  );
}
