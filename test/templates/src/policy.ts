import { Manifest } from './manifests';

const MOVING_TAGS = ['latest', 'main', 'master', 'stable'];

/**
 * The platform's policy for workloads, as a list of violations (empty when compliant): resource
 * requests and limits, probes, hardened securityContext, immutable image tags, recommended labels.
 */
export function policyViolations(manifests: Manifest[]): string[] {
  const violations: string[] = [];
  for (const m of manifests) {
    const where = `${m.kind}/${m.metadata.name}`;
    for (const label of [
      'app.kubernetes.io/name',
      'app.kubernetes.io/instance',
      'app.kubernetes.io/version',
      'app.kubernetes.io/managed-by',
    ]) {
      if (!m.metadata.labels?.[label]) {
        violations.push(`${where}: label ${label} missing`);
      }
    }
    if (m.kind !== 'Deployment') {
      continue;
    }
    const pod = m.spec.template.spec;
    if (pod.securityContext?.runAsNonRoot !== true) {
      violations.push(`${where}: pod runAsNonRoot is not true`);
    }
    if (pod.securityContext?.seccompProfile?.type !== 'RuntimeDefault') {
      violations.push(`${where}: pod seccompProfile is not RuntimeDefault`);
    }
    if (m.spec.strategy?.type !== 'RollingUpdate') {
      violations.push(`${where}: strategy is not RollingUpdate`);
    }
    for (const c of pod.containers) {
      const at = `${where} container ${c.name}`;
      const tag = String(c.image).split('/').pop()!.split(':')[1];
      if (!tag || MOVING_TAGS.includes(tag)) {
        violations.push(`${at}: image ${c.image} has no immutable tag`);
      }
      for (const kind of ['requests', 'limits']) {
        for (const resource of ['cpu', 'memory']) {
          if (!c.resources?.[kind]?.[resource]) {
            violations.push(`${at}: resources.${kind}.${resource} missing`);
          }
        }
      }
      if (!c.readinessProbe) violations.push(`${at}: readinessProbe missing`);
      if (!c.livenessProbe) violations.push(`${at}: livenessProbe missing`);
      const sc = c.securityContext ?? {};
      if (sc.readOnlyRootFilesystem !== true) {
        violations.push(`${at}: readOnlyRootFilesystem is not true`);
      }
      if (sc.allowPrivilegeEscalation !== false) {
        violations.push(`${at}: allowPrivilegeEscalation is not false`);
      }
      if (!sc.capabilities?.drop?.includes('ALL')) {
        violations.push(`${at}: capabilities do not drop ALL`);
      }
    }
  }
  return violations;
}
