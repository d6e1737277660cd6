import { Entity } from '@backstage/catalog-model';
import { GITOPS_ENTITY_ANNOTATIONS } from '@backstage-gitops/plugin-gitops-common';

/**
 * True when the entity carries an annotation that ties it to Argo CD Applications.
 *
 * @public
 */
export function isGitopsAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return GITOPS_ENTITY_ANNOTATIONS.some(name => Boolean(annotations[name]));
}
