import { KubeConfig } from '@kubernetes/client-node';
import { InstanceConfig } from '../../config/readGitopsConfig';

/**
 * Builds the KubeConfig of a `kubernetes` instance: from a kubeconfig file (and context), or from
 * url + token + CA (`caFile`, or `caData` as PEM or base64 PEM).
 */
export function createKubeConfig(instance: InstanceConfig): KubeConfig {
  const kc = new KubeConfig();
  if (instance.kubeconfigPath) {
    kc.loadFromFile(instance.kubeconfigPath);
    if (instance.context) {
      kc.setCurrentContext(instance.context);
    }
    return kc;
  }
  const caData = instance.caData?.trim().startsWith('-----BEGIN')
    ? Buffer.from(instance.caData).toString('base64')
    : instance.caData;
  kc.loadFromOptions({
    clusters: [
      {
        name: instance.name,
        server: instance.url!,
        caData,
        caFile: instance.caFile,
        skipTLSVerify: instance.skipTLSVerify ?? false,
      },
    ],
    users: [{ name: instance.name, token: instance.token }],
    contexts: [
      { name: instance.name, cluster: instance.name, user: instance.name },
    ],
    currentContext: instance.name,
  });
  return kc;
}
