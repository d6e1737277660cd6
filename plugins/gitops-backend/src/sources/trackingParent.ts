/**
 * Argo CD's tracking annotation: `<app>:<group>/<kind>:<namespace>/<name>`, where `<app>` is the
 * tracking Application's instance name (`<namespace>_<name>` for apps in any namespace). See
 * https://argo-cd.readthedocs.io/en/stable/user-guide/resource_tracking/.
 */
const TRACKING_ID = 'argocd.argoproj.io/tracking-id';
/** The label the `label` and `annotation+label` tracking methods set to the instance name. */
const INSTANCE_LABEL = 'app.kubernetes.io/instance';

/**
 * The instance name of the Application that tracks (applies) this one, its app-of-apps parent:
 * from the tracking annotation, else the instance label unless it names the Application itself.
 */
export function readTrackingParent(
  name: string,
  annotations: unknown,
  labels: Record<string, string>,
): string | undefined {
  const annotation =
    typeof annotations === 'object' && annotations !== null
      ? (annotations as Record<string, unknown>)[TRACKING_ID]
      : undefined;
  if (typeof annotation === 'string') {
    const match = /^([^:]+):argoproj\.io\/Application:/.exec(annotation);
    if (match) return match[1] === name ? undefined : match[1];
  }
  const label = labels[INSTANCE_LABEL];
  return label && label !== name ? label : undefined;
}
