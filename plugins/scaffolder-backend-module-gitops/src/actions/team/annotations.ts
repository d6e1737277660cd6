/**
 * On a Group: the Argo CD project the Applications of the team's new services belong to. It
 * must name a project that exists in Argo CD, or every Application of the service fails.
 *
 * @public
 */
export const ANNOTATION_GITOPS_ARGOCD_PROJECT = 'gitops/argocd-project';
