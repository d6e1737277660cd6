import { useMemo } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Cell, ColumnConfig, Table, TablePaginationType } from '@backstage/ui';
import {
  OverviewPage,
  OverviewRow,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { EnvironmentSummary } from './EnvironmentSummary';
import { ServiceCell } from './ServiceCell';

type ServiceItem = OverviewRow & { id: string };

/** Services as rows, one column per environment in the page's order. */
export function ServicesTable(props: {
  page?: OverviewPage;
  loading: boolean;
  pagination: TablePaginationType;
  emptyState: string;
}) {
  const { page, loading, pagination, emptyState } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const environments = page?.environments;

  const columns = useMemo((): ColumnConfig<ServiceItem>[] => {
    const titles = new Map(environments?.map(e => [e.name, e.title]));
    const title = (name: string) => titles.get(name) ?? name;
    return [
      {
        id: 'service',
        label: t('overview.service'),
        isRowHeader: true,
        cell: item => <ServiceCell row={item} />,
      },
      ...(environments ?? []).map(
        (environment): ColumnConfig<ServiceItem> => ({
          id: `env:${environment.name}`,
          label: environment.title,
          cell: item => (
            <Cell>
              <EnvironmentSummary
                environment={item.environments.find(
                  e => e.name === environment.name,
                )}
                title={title}
              />
            </Cell>
          ),
        }),
      ),
    ];
  }, [environments, t]);

  const data = useMemo(
    () => page?.items.map(row => ({ ...row, id: row.entityRef })),
    [page],
  );

  return (
    <Table
      columnConfig={columns}
      data={data}
      isPending={loading && !page}
      isStale={loading && !!page}
      pagination={pagination}
      emptyState={emptyState}
    />
  );
}
