/**
 * Why an instance's Argo CD credentials are unusable, or undefined when they are fine: an
 * argocd instance signs in with exactly one of `token` or `username` + `password`.
 */
export function argocdAuthProblem(instance: {
  type: string;
  token?: string;
  username?: string;
  password?: string;
}): string | undefined {
  const hasLogin = !!(instance.username || instance.password);
  if (instance.type !== 'argocd') {
    return hasLogin
      ? 'username/password are for argocd instances only'
      : undefined;
  }
  if (instance.token && hasLogin) {
    return 'give either token or username and password, not both';
  }
  if (hasLogin && !(instance.username && instance.password)) {
    return instance.username
      ? 'needs password with username'
      : 'needs username with password';
  }
  if (!instance.token && !hasLogin) {
    return 'needs token, or username and password';
  }
  return undefined;
}

/** An entry that takes its address and credentials from another plugin's config. */
interface BorrowingRule {
  /** The flag, e.g. `fromArgocdConfig`. */
  flag: string;
  /** The instance type it is for. */
  type: string;
  /** The keys the other config provides, which the entry must not give too. */
  keys: ReadonlyArray<
    'url' | 'token' | 'username' | 'password' | 'kubeconfigPath'
  >;
  /** What the other config provides, and where, for the message. */
  provides: string;
}

/** `fromArgocdConfig`: url and credentials from the community Argo CD plugin's instance. */
export const FROM_ARGOCD_CONFIG: BorrowingRule = {
  flag: 'fromArgocdConfig',
  type: 'argocd',
  keys: ['url', 'token', 'username', 'password'],
  provides: 'url and credentials from argocd.appLocatorMethods',
};

/** `fromKubernetesConfig`: url and token from the Kubernetes plugin's cluster. */
export const FROM_KUBERNETES_CONFIG: BorrowingRule = {
  flag: 'fromKubernetesConfig',
  type: 'kubernetes',
  keys: ['url', 'token', 'kubeconfigPath'],
  provides: 'url and token from kubernetes.clusterLocatorMethods',
};

/**
 * Why an entry that takes its address and credentials from another plugin's config is unusable:
 * giving them here too would leave two sources of truth.
 */
export function borrowingProblem(
  rule: BorrowingRule,
  instance: { type: string } & Partial<
    Record<BorrowingRule['keys'][number], string>
  >,
): string | undefined {
  if (instance.type !== rule.type) {
    return `${rule.flag} is for ${rule.type} instances only`;
  }
  const own = rule.keys.filter(key => instance[key] !== undefined);
  return own.length
    ? `${rule.flag} takes ${rule.provides}; remove ${own.join(', ')} here`
    : undefined;
}
