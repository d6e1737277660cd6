import { LoggerService } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import {
  ApplicationSourceFactory,
  GitopsConfig,
  GitopsRepoClientFactory,
  VersionLocators,
} from '@backstage-gitops/plugin-gitops-node';
import { ApplicationClaims } from '../entities/ApplicationClaims';
import { ApplicationEpisodes } from '../episodes/ApplicationEpisodes';
import { INDEXED_LABELS } from '../entities/entityQuery';
import { DesiredVersionReader } from '../git/DesiredVersionReader';
import { RenderedVersionReader } from '../git/RenderedVersionReader';
import { ApplicationSource } from '../sources/types';
import { ApplicationStore } from '../store/ApplicationStore';
import { GitopsStateService } from './GitopsStateService';

/** Everything the state part of the backend runs: store, sources, Git reader and service. */
export interface GitopsStateBackend {
  store: ApplicationStore;
  sources: ApplicationSource[];
  versions: DesiredVersionReader;
  state: GitopsStateService;
  /** Since when Applications are drifted or Degraded, and recent sync failures. */
  episodes: ApplicationEpisodes;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Passes the instance tokens and logins that changed in a reloaded config to their sources. */
  updateCredentials(config: GitopsConfig): void;
}

/** Wires the configured instances into one store and the state service reading it. */
export function createGitopsStateBackend(options: {
  config: GitopsConfig;
  integrations: ScmIntegrationRegistry;
  /** The source factories by instance type, built-in and of modules. */
  sourceFactories: ApplicationSourceFactory[];
  /** Where versions live, built-in and of modules. */
  locators: VersionLocators;
  /** The clients of the GitOps repositories' hosts, built-in and of modules. */
  repoClients: GitopsRepoClientFactory;
  logger: LoggerService;
  onSourceStatusChange?: (instance: string) => void;
  /** Which catalog entities select an Application, to flag those of different owners. */
  claims?: Pick<ApplicationClaims, 'conflicts'>;
}): GitopsStateBackend {
  const { config, integrations, logger } = options;
  const store = new ApplicationStore([
    ...new Set([...INDEXED_LABELS, config.environmentLabel]),
  ]);
  // subscribed before any source starts, so the first lists are seen too
  const episodes = new ApplicationEpisodes();
  store.onChange(change => episodes.observe(change));
  const sources: ApplicationSource[] = config.instances.map(instance => {
    const configKey = instance.configKey ?? `instance ${instance.name}`;
    const factory = options.sourceFactories.find(f => f.type === instance.type);
    if (!factory) {
      throw new InputError(
        `${configKey}.type: no source reads instances of type ${
          instance.type
        } (registered types: ${options.sourceFactories
          .map(f => f.type)
          .join(', ')})`,
      );
    }
    return factory.create({
      instance: {
        name: instance.name,
        type: instance.type,
        configKey,
        config: new ConfigReader(
          JSON.parse(JSON.stringify(instance)),
          configKey,
        ),
      },
      store,
      logger: logger.child({ instance: instance.name }),
      onStatusChange: () => options.onSourceStatusChange?.(instance.name),
      watch: {
        stallTimeoutMs: config.stallTimeoutMs,
        pollIntervalMs: config.pollIntervalMs,
        establishedMs: config.watchEstablishedMs,
      },
    });
  });
  const credentialsOf = (i: GitopsConfig['instances'][number]) =>
    i.token ??
    (i.username && i.password ? `${i.username}\n${i.password}` : undefined);
  const credentials = new Map(
    config.instances.map(i => [i.name, credentialsOf(i)]),
  );
  const versions = new DesiredVersionReader({
    integrations,
    repoClients: options.repoClients,
    locators: options.locators,
    logger: logger.child({ component: 'git' }),
    helmValuesKey: config.helmValuesKey,
    timeoutMs: config.gitTimeoutMs,
    branchTtlMs: config.gitBranchTtlMs,
    yamlLimits: config.yamlLimits,
    cacheLimits: config.cache.git,
  });
  const state = new GitopsStateService({
    config,
    store,
    sources,
    versions,
    rendered: new RenderedVersionReader({
      sources,
      cacheLimits: config.cache.git,
      branchTtlMs: config.gitBranchTtlMs,
    }),
    logger,
    gitWaitMs: config.gitWaitMs,
    claims: options.claims,
  });
  return {
    store,
    sources,
    versions,
    state,
    episodes,
    async start() {
      await Promise.all(
        sources.map(source =>
          source
            .start()
            .catch(error =>
              logger.error(
                `Instance ${source.instance} could not start: ${error}`,
              ),
            ),
        ),
      );
    },
    async stop() {
      await Promise.all(sources.map(source => source.stop()));
    },
    updateCredentials(next) {
      for (const instance of next.instances) {
        const current = credentialsOf(instance);
        if (!current || credentials.get(instance.name) === current) continue;
        credentials.set(instance.name, current);
        const source = sources.find(s => s.instance === instance.name);
        const { token, username, password } = instance;
        if (token && source?.setToken) {
          logger.info(`Instance ${instance.name}: using its replaced token`);
          source.setToken(token);
        } else if (!token && username && password && source?.setCredentials) {
          logger.info(
            `Instance ${instance.name}: signing in with its replaced username and password`,
          );
          source.setCredentials({ username, password });
        } else {
          logger.warn(
            `Instance ${instance.name}: its credentials changed in the config; restart the backend to use them`,
          );
        }
      }
    },
  };
}
