import { LoggerService } from '@backstage/backend-plugin-api';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { GitopsConfig } from '../config/readGitopsConfig';
import { INDEXED_LABELS } from '../entities/entityQuery';
import { DesiredVersionReader } from '../git/DesiredVersionReader';
import { ArgoCdApplicationSource } from '../sources/argocd/ArgoCdApplicationSource';
import { KubernetesApplicationSource } from '../sources/kubernetes/KubernetesApplicationSource';
import { ApplicationSource } from '../sources/types';
import { ApplicationStore } from '../store/ApplicationStore';
import { GitopsStateService } from './GitopsStateService';

/** Everything the state part of the backend runs: store, sources, Git reader and service. */
export interface GitopsStateBackend {
  store: ApplicationStore;
  sources: ApplicationSource[];
  versions: DesiredVersionReader;
  state: GitopsStateService;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Wires the configured instances into one store and the state service reading it. */
export function createGitopsStateBackend(options: {
  config: GitopsConfig;
  integrations: ScmIntegrationRegistry;
  logger: LoggerService;
  onSourceStatusChange?: (instance: string) => void;
}): GitopsStateBackend {
  const { config, integrations, logger } = options;
  const store = new ApplicationStore([
    ...new Set([...INDEXED_LABELS, config.environmentLabel]),
  ]);
  const sources: ApplicationSource[] = config.instances.map(instance => {
    const common = {
      instance,
      store,
      logger: logger.child({ instance: instance.name }),
      stallTimeoutMs: config.stallTimeoutMs,
      watchEstablishedMs: config.watchEstablishedMs,
      onStatusChange: () => options.onSourceStatusChange?.(instance.name),
    };
    return instance.type === 'kubernetes'
      ? new KubernetesApplicationSource(common)
      : new ArgoCdApplicationSource({
          ...common,
          pollIntervalMs: config.pollIntervalMs,
        });
  });
  const versions = new DesiredVersionReader({
    integrations,
    logger: logger.child({ component: 'git' }),
    helmValuesKey: config.helmValuesKey,
    timeoutMs: config.gitTimeoutMs,
    branchTtlMs: config.gitBranchTtlMs,
  });
  const state = new GitopsStateService({
    config,
    store,
    sources,
    versions,
    logger,
    gitWaitMs: config.gitWaitMs,
  });
  return {
    store,
    sources,
    versions,
    state,
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
  };
}
