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

/**
 * Why a `fromArgocdConfig` entry is unusable: it takes url and credentials from the community
 * plugin's config, so giving them here too would leave two sources of truth.
 */
export function fromArgocdConfigProblem(instance: {
  type: string;
  url?: string;
  token?: string;
  username?: string;
  password?: string;
}): string | undefined {
  if (instance.type !== 'argocd') {
    return 'fromArgocdConfig is for argocd instances only';
  }
  const own = (['url', 'token', 'username', 'password'] as const).filter(
    key => instance[key] !== undefined,
  );
  return own.length
    ? `fromArgocdConfig takes url and credentials from argocd.appLocatorMethods; remove ${own.join(
        ', ',
      )} here`
    : undefined;
}
