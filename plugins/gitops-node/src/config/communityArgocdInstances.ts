import { Config } from '@backstage/config';
import { argocdAuthProblem } from './argocdAuth';
import { GITOPS_CONFIG_DEFAULTS } from './defaults';
import type { DeclaredInstance } from './readInstances';

/**
 * Instance names: letters, digits, dashes, dots and underscores, so the community plugin's names
 * (such as `argoInstance1`) keep working in `argocd/instance-name`, whose commas separate names.
 */
export const INSTANCE_NAME = /^[A-Za-z0-9]([-_.A-Za-z0-9]*[A-Za-z0-9])?$/;
/** What {@link INSTANCE_NAME} requires, for messages. */
export const INSTANCE_NAME_RULE =
  'must be a name of letters, digits, dashes, dots and underscores';

/** An Argo CD instance of the community plugin's `argocd.appLocatorMethods` (type `config`). */
interface CommunityArgocdInstance {
  name: string;
  url?: string;
  token?: string;
  username?: string;
  password?: string;
  /** Where it is configured, e.g. `argocd.appLocatorMethods[0].instances[1]`. */
  configKey: string;
  /** `argocd` when username and password are the defaults `argocd.username` and `.password`. */
  credentialsKey?: string;
  /** Why this plugin cannot read from it, if it cannot. */
  problem?: string;
}

/**
 * Reads the instances the community Argo CD plugin (backstage/community-plugins, workspaces/argocd)
 * is configured with, resolving credentials as it does: an instance's `token` wins over its
 * `username`/`password`, which default to `argocd.username`/`argocd.password`. The keys are read
 * here, not declared in this plugin's config schema: the community plugin's schema declares them
 * (with the secrets marked), and two declarations of `argocd` could disagree on visibility.
 * An instance this plugin cannot read from carries the problem instead of failing the read, so
 * only the instances actually used fail the configuration.
 */
function readCommunityArgocdInstances(
  config: Config,
): CommunityArgocdInstance[] {
  const instances: CommunityArgocdInstance[] = [];
  const argocd = config.getOptionalConfig('argocd');
  if (!argocd) return instances;
  const defaultUsername = argocd.getOptionalString('username');
  const defaultPassword = argocd.getOptionalString('password');
  (argocd.getOptionalConfigArray('appLocatorMethods') ?? []).forEach(
    (method, i) => {
      if (method.getOptionalString('type') !== 'config') return;
      (method.getOptionalConfigArray('instances') ?? []).forEach((entry, j) => {
        const configKey = `argocd.appLocatorMethods[${i}].instances[${j}]`;
        const token = entry.getOptionalString('token');
        const ownLogin = entry.has('username') || entry.has('password');
        const instance: CommunityArgocdInstance = {
          name: entry.getOptionalString('name') ?? '',
          url: entry.getOptionalString('url'),
          token,
          username: token
            ? undefined
            : entry.getOptionalString('username') ?? defaultUsername,
          password: token
            ? undefined
            : entry.getOptionalString('password') ?? defaultPassword,
          configKey,
          credentialsKey:
            token || ownLogin || !(defaultUsername || defaultPassword)
              ? undefined
              : 'argocd',
        };
        instance.problem = communityInstanceProblem(instance);
        if (
          !instance.problem &&
          instances.some(other => other.name === instance.name)
        ) {
          instance.problem = `name ${instance.name} is used twice`;
        }
        instances.push(instance);
      });
    },
  );
  return instances;
}

/**
 * The instances the backend reads from: `gitops.instances` with each `fromArgocdConfig` entry
 * completed from the community plugin's instance of its name, or, when `gitops.instances` is
 * absent (`declared` undefined), every instance of the community plugin's config.
 */
export function resolveInstances(
  config: Config,
  declared: DeclaredInstance[] | undefined,
): {
  instances: DeclaredInstance[];
  problems: Array<{ key: string; message: string }>;
} {
  const problems: Array<{ key: string; message: string }> = [];
  const needsCommunity = !declared || declared.some(i => i.fromArgocdConfig);
  const community = needsCommunity ? readCommunityArgocdInstances(config) : [];
  const fromCommunity = (c: CommunityArgocdInstance): DeclaredInstance => ({
    name: c.name,
    type: 'argocd',
    timeoutMs: GITOPS_CONFIG_DEFAULTS.instanceTimeoutMs,
    url: c.url,
    token: c.token,
    username: c.username,
    password: c.password,
    configKey: c.configKey,
    ...(c.credentialsKey ? { credentialsKey: c.credentialsKey } : {}),
  });
  if (!declared) {
    for (const c of community) {
      if (c.problem) problems.push({ key: c.configKey, message: c.problem });
    }
    return {
      instances: community.filter(c => !c.problem).map(fromCommunity),
      problems,
    };
  }
  const instances = declared.map(instance => {
    if (!instance.fromArgocdConfig) return instance;
    const match = community.find(c => c.name === instance.name);
    if (!match) {
      problems.push({
        key: instance.configKey ?? 'gitops.instances',
        message: `fromArgocdConfig names no instance ${
          instance.name
        } under argocd.appLocatorMethods[].instances (type config; found: ${
          community.map(c => c.name).join(', ') || 'none'
        })`,
      });
      return instance;
    }
    if (match.problem) {
      problems.push({ key: match.configKey, message: match.problem });
    }
    const { fromArgocdConfig, ...local } = instance;
    return {
      ...local,
      ...fromCommunity(match),
      timeoutMs: instance.timeoutMs,
    };
  });
  return { instances, problems };
}

function communityInstanceProblem(instance: CommunityArgocdInstance) {
  if (!instance.name) return 'needs name';
  if (!INSTANCE_NAME.test(instance.name)) return INSTANCE_NAME_RULE;
  if (!instance.url) return 'needs url';
  if (!URL.canParse(instance.url)) return 'url is not a URL';
  const auth = argocdAuthProblem({ type: 'argocd', ...instance });
  return auth && `${auth} (or argocd.username and argocd.password)`;
}
