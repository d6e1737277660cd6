import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';

/** Options of the owner and system filters: the catalog's groups and systems, by title. */
export function useCatalogOptions(kind: 'Group' | 'System') {
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind },
      fields: ['kind', 'metadata.namespace', 'metadata.name', 'metadata.title'],
    });
    return items
      .map(entity => ({
        value: stringifyEntityRef(entity),
        label: entity.metadata.title ?? entity.metadata.name,
      }))
      .sort((a, b) => a.label.localeCompare(b.label));
  }, [catalogApi, kind]);
  return value ?? [];
}
