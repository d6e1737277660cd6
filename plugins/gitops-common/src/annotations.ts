/**
 * Catalog annotations the suite reads. The `argocd/*` names are the ones users of the Roadie and
 * community Argo CD plugins already have on their entities, so existing catalogs work unchanged.
 */

/** Label selector choosing the entity's Argo CD Applications, e.g. `app.kubernetes.io/name=checkout-api`. @public */
export const ANNOTATION_ARGOCD_APP_SELECTOR = 'argocd/app-selector';
/** Name of one Argo CD Application (used when there is no selector). @public */
export const ANNOTATION_ARGOCD_APP_NAME = 'argocd/app-name';
/**
 * Restricts lookups to configured Argo CD instances, by their configured names separated by
 * commas (`argo-1,argo-2`). @public
 */
export const ANNOTATION_ARGOCD_INSTANCE_NAME = 'argocd/instance-name';
/** Namespace the entity's Applications live in (apps in any namespace). @public */
export const ANNOTATION_ARGOCD_APP_NAMESPACE = 'argocd/app-namespace';
/** Restricts lookups to one Argo CD project. @public */
export const ANNOTATION_ARGOCD_PROJECT_NAME = 'argocd/project-name';
/** Backstage's Kubernetes id; matched against the `backstage.io/kubernetes-id` label of Applications. @public */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';
/**
 * The service's source repository on GitHub, `owner/repo` (the GitHub plugins' annotation): a
 * promotion pull request links the compare view of the promoted versions in it. @public
 */
export const ANNOTATION_GITHUB_PROJECT_SLUG = 'github.com/project-slug';
/**
 * The service's container image repository, e.g. `ghcr.io/acme/checkout-api` (tag and digest
 * left out; several separated by commas). The live version is the tag of the Application's
 * live image of this repository, so sidecars, init containers and other images never pass for
 * the service. Without it the image named after the service is chosen. @public
 */
export const ANNOTATION_GITOPS_IMAGE = 'gitops/image';
/** On a Group: the URL of the team's GitOps repository. @public */
export const ANNOTATION_GITOPS_REPO_URL = 'gitops/repo-url';

/** Every annotation that makes an entity GitOps-enabled. @public */
export const GITOPS_ENTITY_ANNOTATIONS = [
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_KUBERNETES_ID,
] as const;
