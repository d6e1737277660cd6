export interface Config {
  // gitops:application:create also reads gitops.environments, gitops.clusters,
  // gitops.environmentLabel and gitops.versionLocator.helmValuesKey, with the same defaults as the
  // GitOps backend; they are declared once, in @backstage-gitops/plugin-gitops-backend's config.d.ts.
  gitops?: {
    /**
     * Settings of the `gitops-service` software template's `gitops:application:create` action.
     */
    template?: {
      /**
       * Argo CD project of the Applications a new service gets when its owner Group has no
       * `gitops/argocd-project` annotation. It must exist in Argo CD. Without either, the
       * template fails before writing anything.
       */
      project?: string;
      /**
       * Sync policy per environment name. Environments not listed are `automated` (with
       * selfHeal), except the last configured environment, which is `manual`.
       */
      syncPolicy?: { [environment: string]: 'automated' | 'manual' };
      /**
       * Whether automated syncs prune resources that left Git. Off by default.
       */
      prune?: boolean;
    };
  };
}
