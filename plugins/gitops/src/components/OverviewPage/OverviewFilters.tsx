import { useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, SearchField, Select, Switch } from '@backstage/ui';
import { OverviewSort } from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { useCatalogOptions } from './useCatalogOptions';
import {
  OVERVIEW_SORTS,
  OverviewFilters as Filters,
} from './useOverviewFilters';

const ANY = '*';

/** Search, owner, system and environment pickers, flags and sort of the overview. */
export function OverviewFilters(props: {
  filters: Filters;
  ownedByMe?: boolean;
  environments: Array<{ name: string; title: string }>;
  onChange: (change: Partial<Filters>) => void;
}) {
  const { filters, ownedByMe, environments, onChange } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const owners = useCatalogOptions('Group');
  const systems = useCatalogOptions('System');
  const [search, setSearch] = useState(filters.q);
  useDebounce(
    () => {
      if (search !== filters.q) onChange({ q: search });
    },
    300,
    [search],
  );

  return (
    <Flex
      direction="column"
      gap="3"
      role="group"
      aria-label={t('overview.filters.label')}
    >
      <Flex gap="3" align="end" style={{ flexWrap: 'wrap' }}>
        <SearchField
          label={t('overview.filters.search')}
          placeholder={t('overview.filters.searchPlaceholder')}
          value={search}
          onChange={setSearch}
        />
        <Select
          label={t('overview.filters.owner')}
          selectionMode="multiple"
          options={owners}
          value={filters.owner}
          onChange={keys => onChange({ owner: (keys as string[]) ?? [] })}
          style={{ minWidth: 200 }}
        />
        <Select
          label={t('overview.filters.system')}
          selectionMode="multiple"
          options={systems}
          value={filters.system}
          onChange={keys => onChange({ system: (keys as string[]) ?? [] })}
          style={{ minWidth: 200 }}
        />
        <Select
          label={t('overview.filters.environment')}
          options={[
            { value: ANY, label: t('overview.filters.anyEnvironment') },
            ...environments.map(e => ({ value: e.name, label: e.title })),
          ]}
          selectedKey={filters.environment ?? ANY}
          onSelectionChange={key =>
            onChange({
              environment: key && key !== ANY ? String(key) : undefined,
            })
          }
          style={{ minWidth: 180 }}
        />
        <Select
          label={t('overview.filters.sort')}
          options={OVERVIEW_SORTS.map(sort => ({
            value: sort,
            label: t(`overview.sort.${sort}`),
          }))}
          selectedKey={filters.sort}
          onSelectionChange={key =>
            onChange({ sort: (key ?? 'name') as OverviewSort })
          }
          style={{ minWidth: 180 }}
        />
      </Flex>
      <Flex gap="4" align="center" style={{ flexWrap: 'wrap' }}>
        <Switch
          label={t('overview.filters.ownedByMe')}
          isSelected={ownedByMe ?? false}
          isDisabled={ownedByMe === undefined}
          onChange={value => onChange({ ownedByMe: value })}
        />
        {filters.tab === 'services' && (
          <Switch
            label={t('overview.filters.ready')}
            isSelected={filters.ready}
            onChange={value => onChange({ ready: value })}
          />
        )}
        <Switch
          label={t('overview.filters.drifted')}
          isSelected={filters.drifted}
          onChange={value => onChange({ drifted: value })}
        />
        <Switch
          label={t('overview.filters.failing')}
          isSelected={filters.failing}
          onChange={value => onChange({ failing: value })}
        />
      </Flex>
    </Flex>
  );
}
