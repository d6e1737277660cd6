import { useMemo, useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Button,
  Cell,
  ColumnConfig,
  Flex,
  Selection,
  Table,
  TablePaginationType,
  Text,
} from '@backstage/ui';
import {
  OverviewPage,
  OverviewRow,
  ReadyPromotion,
  TrackedPromotion,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { TrackedPromotionStatus } from '../TrackedPromotion';
import { BulkProgress } from './BulkProgress';
import { GateSummary } from './GateSummary';
import { RowPromoteButton } from './RowPromoteButton';
import { ServiceCell, shortRef } from './ServiceCell';
import { BulkStatus, useBulkPromotion } from './useBulkPromotion';

interface ReadyItem {
  id: string;
  row: OverviewRow;
  ready: ReadyPromotion;
  /** The promotion into the target that is still in flight: shown instead of Promote. */
  inFlight?: TrackedPromotion;
}

function readyItems(page: OverviewPage | undefined): ReadyItem[] | undefined {
  return page?.items.flatMap(row =>
    row.ready.map(ready => {
      const promotion = row.environments.find(
        e => e.name === ready.to,
      )?.promotion;
      const inFlight =
        promotion?.stage === 'open' || promotion?.stage === 'syncing'
          ? promotion
          : undefined;
      return {
        id: `${row.entityRef}|${ready.from}|${ready.to}`,
        row,
        ready,
        inFlight,
      };
    }),
  );
}

/** Only rows the user may promote now, with every gate passed, and not already on their way. */
function selectable(item: ReadyItem, status?: BulkStatus): boolean {
  return (
    item.row.canPromote &&
    item.ready.passed &&
    !item.inFlight &&
    (status === undefined || status.state === 'failed')
  );
}

/**
 * Services ready to promote, with their gates: Promote on a row opens the tab's dialog;
 * "Promote selected" opens one pull request per selected service, with progress on each row.
 */
export function ReadyTable(props: {
  page?: OverviewPage;
  loading: boolean;
  pagination: TablePaginationType;
  emptyState: string;
  onPromoted: () => void;
}) {
  const { page, loading, pagination, emptyState, onPromoted } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const bulk = useBulkPromotion();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const items = useMemo(() => readyItems(page), [page]);
  const titles = useMemo(
    () => new Map(page?.environments.map(e => [e.name, e.title])),
    [page],
  );
  const title = (name: string) => titles.get(name) ?? name;

  const eligible = (items ?? []).filter(item =>
    selectable(item, bulk.statuses[item.id]),
  );
  const chosen = eligible.filter(item => selected.has(item.id));

  const onSelectionChange = (keys: Selection) => {
    setSelected(
      keys === 'all'
        ? new Set(eligible.map(item => item.id))
        : new Set([...keys].map(String)),
    );
  };

  const promoteSelected = async () => {
    setSelected(new Set());
    await bulk.run(
      chosen.map(item => ({
        id: item.id,
        entityRef: item.row.entityRef,
        from: item.ready.from,
        to: item.ready.to,
        version: item.ready.version,
      })),
    );
  };

  const columns: ColumnConfig<ReadyItem>[] = [
    {
      id: 'service',
      label: t('overview.service'),
      isRowHeader: true,
      cell: item => <ServiceCell row={item.row} />,
    },
    {
      id: 'promotion',
      label: t('overview.ready.promotion'),
      cell: item => (
        <Cell>
          <Flex direction="column" gap="1">
            <Text variant="body-medium" weight="bold">
              {item.ready.version}
            </Text>
            <Text variant="body-small" color="secondary">
              {t('overview.ready.fromTo', {
                from: title(item.ready.from),
                to: title(item.ready.to),
              })}
            </Text>
          </Flex>
        </Cell>
      ),
    },
    {
      id: 'gates',
      label: t('overview.ready.gates'),
      cell: item => (
        <Cell>
          <GateSummary gates={item.ready.gates} />
        </Cell>
      ),
    },
    {
      id: 'action',
      label: t('overview.ready.action'),
      cell: item => <Cell>{action(item)}</Cell>,
    },
  ];

  function action(item: ReadyItem) {
    const status = bulk.statuses[item.id];
    if (status) {
      return <BulkProgress status={status} />;
    }
    if (item.inFlight) {
      return <TrackedPromotionStatus compact promotion={item.inFlight} />;
    }
    if (!item.row.canPromote) {
      return null;
    }
    if (!item.ready.passed) {
      return (
        <Text variant="body-small" color="secondary">
          {t('overview.ready.gatesFailed')}
        </Text>
      );
    }
    return (
      <RowPromoteButton
        entityRef={item.row.entityRef}
        ready={item.ready}
        label={`${t('overview.ready.promote')} ${shortRef(
          item.row.entityRef,
        )} ${t('overview.ready.fromTo', {
          from: title(item.ready.from),
          to: title(item.ready.to),
        })}`}
        onClosed={onPromoted}
      />
    );
  }

  return (
    <Flex direction="column" gap="3">
      {eligible.length > 0 && (
        <Flex justify="end">
          <Button
            variant="primary"
            isDisabled={chosen.length === 0 || bulk.running}
            isPending={bulk.running}
            onPress={promoteSelected}
          >
            {t('overview.ready.promoteSelected', {
              count: chosen.length,
            })}
          </Button>
        </Flex>
      )}
      <Table
        columnConfig={columns}
        data={items}
        isPending={loading && !page}
        isStale={loading && !!page}
        pagination={pagination}
        emptyState={emptyState}
        selection={{
          mode: 'multiple',
          behavior: 'toggle',
          selected: new Set(chosen.map(item => item.id)),
          onSelectionChange,
        }}
        rowConfig={{
          getIsDisabled: item => !selectable(item, bulk.statuses[item.id]),
        }}
      />
    </Flex>
  );
}
