import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Cell, CellText, ColumnConfig, Flex, Table } from '@backstage/ui';
import { ClusterState } from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { driftCount } from '../DriftPanel';
import { HealthBadge, SyncBadge } from '../StatusBadges';
import { desiredVersionText } from './desiredVersionText';

type ClusterRow = ClusterState & { id: string };

/**
 * Environments with many clusters: one compact row per cluster (live, desired, sync, health,
 * drift), so twenty clusters stay readable where cards would wrap into a wall.
 */
export function ClusterGrid(props: {
  clusters: ClusterState[];
  label: string;
}) {
  const { clusters, label } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const unknown = t('matrix.unknown');
  const unknownBecause = (reason?: string) =>
    reason ? t('matrix.unknownBecause', { reason }) : unknown;

  const columns: ColumnConfig<ClusterRow>[] = [
    {
      id: 'cluster',
      label: t('matrix.grid.cluster'),
      isRowHeader: true,
      cell: c => (
        <CellText
          title={c.cluster}
          description={
            c.error
              ? `${t('matrix.sourceFailed')}: ${t('sourceErrors.item', {
                  source: c.error.source,
                  kind: c.error.kind,
                  message: c.error.message,
                })}`
              : undefined
          }
          href={c.application?.url}
        />
      ),
    },
    {
      id: 'live',
      label: t('matrix.live'),
      cell: c =>
        c.application ? (
          <CellText
            title={c.liveVersion ?? unknownBecause(c.liveVersionReason)}
            description={c.skew ? t('matrix.skew') : undefined}
          />
        ) : (
          <CellText title={t('matrix.grid.notDeployed')} color="secondary" />
        ),
    },
    {
      id: 'desired',
      label: t('matrix.desired'),
      cell: c => {
        if (!c.application) return <CellText title="" />;
        const desired = desiredVersionText(c, t);
        return (
          <CellText
            title={desired.text}
            description={c.desiredSource ? desired.title : undefined}
            href={c.desiredSource?.url}
          />
        );
      },
    },
    {
      id: 'sync',
      label: t('matrix.grid.sync'),
      cell: c => (
        <Cell>
          {c.application && (
            <Flex gap="1">
              <SyncBadge sync={c.sync} />
            </Flex>
          )}
        </Cell>
      ),
    },
    {
      id: 'health',
      label: t('matrix.grid.health'),
      cell: c => (
        <Cell>{c.application && <HealthBadge health={c.health} />}</Cell>
      ),
    },
    {
      id: 'drift',
      label: t('drift.title'),
      cell: c => {
        const count = driftCount(c.drift);
        return (
          <CellText
            title={count > 0 ? t('drift.summary', { count }) : t('drift.none')}
            color={count > 0 ? 'primary' : 'secondary'}
          />
        );
      },
    },
  ];

  return (
    <div aria-label={label} role="group">
      <Table
        columnConfig={columns}
        data={clusters.map(c => ({ ...c, id: c.cluster }))}
        pagination={{ type: 'none' }}
      />
    </div>
  );
}
