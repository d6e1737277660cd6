import {
  ApplicationSourceFactory,
  GitopsInstance,
} from '@backstage-gitops/plugin-gitops-node';
import { InstanceConfig } from '@backstage-gitops/plugin-gitops-node';
import { ArgoCdApplicationSource } from './argocd/ArgoCdApplicationSource';
import { KubernetesApplicationSource } from './kubernetes/KubernetesApplicationSource';

// readGitopsConfig validated the instance (and resolved `fromArgocdConfig`) before it got here
const validated = (instance: GitopsInstance) =>
  instance.config.get() as unknown as InstanceConfig;

/**
 * The built-in sources: `kubernetes` (a client-node informer on applications.argoproj.io) and
 * `argocd` (the Argo CD REST API).
 */
export function builtinSourceFactories(): ApplicationSourceFactory[] {
  return [
    {
      type: 'kubernetes',
      create: ({ instance, store, logger, onStatusChange, watch }) =>
        new KubernetesApplicationSource({
          instance: validated(instance),
          store,
          logger,
          stallTimeoutMs: watch.stallTimeoutMs,
          watchEstablishedMs: watch.establishedMs,
          onStatusChange,
        }),
    },
    {
      type: 'argocd',
      create: ({ instance, store, logger, onStatusChange, watch }) =>
        new ArgoCdApplicationSource({
          instance: validated(instance),
          store,
          logger,
          stallTimeoutMs: watch.stallTimeoutMs,
          pollIntervalMs: watch.pollIntervalMs,
          watchEstablishedMs: watch.establishedMs,
          onStatusChange,
        }),
    },
  ];
}
