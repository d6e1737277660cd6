import { Config } from '@backstage/config';
import { readKubernetesPluginClusters } from './kubernetesClusters';
import type { DeclaredInstance } from './readInstances';

/**
 * Completes each `fromKubernetesConfig` instance from the Kubernetes plugin's cluster of the same
 * name (`kubernetes.clusterLocatorMethods[].clusters[]`, type `config`): its url, service account
 * token and TLS settings, so the cluster Argo CD runs in is configured once.
 */
export function resolveKubernetesInstances(
  config: Config,
  declared: DeclaredInstance[],
): {
  instances: DeclaredInstance[];
  problems: Array<{ key: string; message: string }>;
} {
  if (!declared.some(i => i.fromKubernetesConfig)) {
    return { instances: declared, problems: [] };
  }
  const clusters = readKubernetesPluginClusters(config);
  const problems: Array<{ key: string; message: string }> = [];
  const instances = declared.map(instance => {
    if (!instance.fromKubernetesConfig) return instance;
    const key = instance.configKey ?? 'gitops.instances';
    const cluster = clusters.find(c => c.name === instance.name);
    if (!cluster) {
      problems.push({
        key,
        message: `fromKubernetesConfig names no cluster ${
          instance.name
        } under kubernetes.clusterLocatorMethods[].clusters (type config; found: ${
          clusters.map(c => c.name).join(', ') || 'none'
        })`,
      });
      return instance;
    }
    if (!cluster.url) {
      problems.push({ key: cluster.configKey, message: 'needs url' });
    }
    if (
      (cluster.authProvider ?? 'serviceAccount') !== 'serviceAccount' ||
      !cluster.serviceAccountToken
    ) {
      // Other providers (aws, google, oidc) sign in as the portal's user; the state is read
      // by the backend itself, which needs a token of its own.
      problems.push({
        key: cluster.configKey,
        message: `gitops reads this cluster with a service account: set authProvider: serviceAccount and serviceAccountToken${
          cluster.authProvider && cluster.authProvider !== 'serviceAccount'
            ? ` (it is ${cluster.authProvider})`
            : ''
        }`,
      });
    }
    return {
      ...instance,
      url: cluster.url,
      token: cluster.serviceAccountToken,
      caData: instance.caData ?? cluster.caData,
      caFile: instance.caFile ?? cluster.caFile,
      skipTLSVerify: instance.skipTLSVerify ?? cluster.skipTLSVerify,
    };
  });
  return { instances, problems };
}
