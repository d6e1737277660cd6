import { Config } from '@backstage/config';

/**
 * A cluster of the Kubernetes plugin's `kubernetes.clusterLocatorMethods` (type `config`), read so
 * that a portal that already configures its clusters there does not list them a second time.
 */
export interface KubernetesPluginCluster {
  name: string;
  url?: string;
  /** The `serviceAccountToken` of a cluster whose `authProvider` is `serviceAccount`. */
  serviceAccountToken?: string;
  authProvider?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify?: boolean;
  /** Where it is configured, e.g. `kubernetes.clusterLocatorMethods[0].clusters[1]`. */
  configKey: string;
}

/**
 * Reads the clusters of `kubernetes.clusterLocatorMethods[]` of type `config`. The keys are read,
 * not declared in this suite's schema: the Kubernetes plugin declares them (with the secrets
 * marked), and two declarations could disagree on visibility. Entries of other locator types
 * (catalog, gke, localKubectlProxy) carry no static address and are skipped.
 */
export function readKubernetesPluginClusters(
  config: Config,
): KubernetesPluginCluster[] {
  const clusters: KubernetesPluginCluster[] = [];
  (
    config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? []
  ).forEach((method, i) => {
    if (method.getOptionalString('type') !== 'config') return;
    (method.getOptionalConfigArray('clusters') ?? []).forEach((entry, j) => {
      const name = entry.getOptionalString('name');
      if (!name) return;
      clusters.push({
        name,
        url: entry.getOptionalString('url'),
        authProvider: entry.getOptionalString('authProvider'),
        serviceAccountToken: entry.getOptionalString('serviceAccountToken'),
        caData: entry.getOptionalString('caData'),
        caFile: entry.getOptionalString('caFile'),
        skipTLSVerify: entry.getOptionalBoolean('skipTLSVerify'),
        configKey: `kubernetes.clusterLocatorMethods[${i}].clusters[${j}]`,
      });
    });
  });
  return clusters;
}
