import { InputError } from '@backstage/errors';
import { KubeConfig } from '@kubernetes/client-node';
import { InstanceConfig } from '@backstage-gitops/plugin-gitops-node';

/**
 * Builds the KubeConfig of a `kubernetes` instance: from a kubeconfig file (and context), or from
 * url + token + CA (`caFile`, or `caData` as PEM or base64 PEM).
 */
export function createKubeConfig(
  instance: Omit<InstanceConfig, 'timeoutMs'>,
): KubeConfig {
  const kc = new KubeConfig();
  if (instance.kubeconfigPath) {
    const where = `gitops.instances ${instance.name}: kubeconfigPath ${instance.kubeconfigPath}`;
    try {
      kc.loadFromFile(instance.kubeconfigPath);
    } catch (error) {
      throw new InputError(
        `${where} could not be read: ${(error as Error).message}`,
      );
    }
    if (instance.context) {
      // client-node accepts any name here and fails later without saying why
      const names = kc.getContexts().map(c => c.name);
      if (!names.includes(instance.context)) {
        throw new InputError(
          `${where} has no context ${instance.context}; it has ${
            names.join(', ') || 'none'
          }`,
        );
      }
      kc.setCurrentContext(instance.context);
    }
    if (!kc.getCurrentCluster()) {
      throw new InputError(
        `${where}: its current context names no cluster; set context`,
      );
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
