import { useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Alert,
  Button,
  Container,
  Flex,
  Header,
  Tab,
  TabList,
  TabPanel,
  Tabs,
  TablePaginationType,
} from '@backstage/ui';
import { gitopsTranslationRef } from '../../translation';
import { errorMessage } from '../errorMessage';
import { OverviewFilters } from './OverviewFilters';
import { ReadyTable } from './ReadyTable';
import { ServicesTable } from './ServicesTable';
import { useOverview } from './useOverview';
import {
  OverviewTab,
  PAGE_SIZES,
  useOverviewFilters,
} from './useOverviewFilters';

/**
 * The GitOps overview: every service the user may read, per environment, and the services
 * ready to promote. Filters, tab and page live in the URL.
 */
export function OverviewPage() {
  const { t } = useTranslationRef(gitopsTranslationRef);
  const { filters, update } = useOverviewFilters();
  const overview = useOverview(filters);
  const { page, loading, error, ownedByMe } = overview;
  // cursors of the pages before this one, for "previous"; a shared link starts a new history
  const [previous, setPrevious] = useState<Array<string | undefined>>([]);

  const change = (next: Partial<typeof filters>) => {
    setPrevious([]);
    update(next);
  };

  const pagination: TablePaginationType = {
    type: 'page',
    pageSize: filters.limit,
    pageSizeOptions: PAGE_SIZES,
    offset: previous.length * filters.limit,
    totalCount: page?.totalItems,
    hasNextPage: !!page?.nextCursor,
    hasPreviousPage: !!filters.cursor,
    onNextPage: () => {
      setPrevious([...previous, filters.cursor]);
      update({ cursor: page?.nextCursor });
    },
    onPreviousPage: () => {
      setPrevious(previous.slice(0, -1));
      update({ cursor: previous[previous.length - 1] });
    },
    onPageSizeChange: limit => change({ limit }),
  };

  const noMatch =
    filters.tab === 'ready' ? t('overview.ready.empty') : t('overview.empty');
  const emptyState = ownedByMe ? t('overview.emptyOwned') : noMatch;

  return (
    <>
      <Header
        title={t('overview.title')}
        description={t('overview.description')}
        customActions={
          <Button
            variant="secondary"
            onPress={overview.retry}
            isPending={loading && !!page}
          >
            {t('overview.refresh')}
          </Button>
        }
      />
      <Container>
        <Flex direction="column" gap="4" py="4">
          <OverviewFilters
            filters={filters}
            ownedByMe={ownedByMe}
            environments={page?.environments ?? []}
            onChange={change}
          />
          {error && (
            <Alert
              status="danger"
              icon
              title={t('overview.loadError')}
              description={errorMessage(error)}
            />
          )}
          {page && page.errors.length > 0 && (
            <Alert
              status="warning"
              icon
              title={t('overview.pageErrors', {
                count: page.errors.length,
                message: `${page.errors[0].source}: ${page.errors[0].message}`,
              })}
            />
          )}
          <Tabs
            selectedKey={filters.tab}
            onSelectionChange={key => change({ tab: key as OverviewTab })}
          >
            <TabList>
              <Tab id="services">{t('overview.tabs.services')}</Tab>
              <Tab id="ready">{t('overview.tabs.ready')}</Tab>
            </TabList>
            <TabPanel id="services">
              <ServicesTable
                page={error ? undefined : page}
                loading={loading}
                pagination={pagination}
                emptyState={emptyState}
              />
            </TabPanel>
            <TabPanel id="ready">
              <ReadyTable
                page={error ? undefined : page}
                loading={loading}
                pagination={pagination}
                emptyState={emptyState}
                onPromoted={overview.retry}
              />
            </TabPanel>
          </Tabs>
        </Flex>
      </Container>
    </>
  );
}
