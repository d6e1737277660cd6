import { CompoundEntityRef } from '@backstage/catalog-model';

/**
 * The link to an entity's GitOps tab in the portal (`app.baseUrl`), used by pull requests and
 * notifications; undefined without a base URL.
 *
 * @public
 */
export function entityTabUrl(
  appBaseUrl: string | undefined,
  entity: CompoundEntityRef,
): string | undefined {
  return appBaseUrl
    ? `${appBaseUrl.replace(/\/$/, '')}/catalog/${
        entity.namespace
      }/${entity.kind.toLocaleLowerCase('en-US')}/${entity.name}/gitops`
    : undefined;
}
