import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Accordion,
  AccordionPanel,
  AccordionTrigger,
  Alert,
  Cell,
  CellText,
  ColumnConfig,
  Link,
  Table,
} from '@backstage/ui';
import {
  EnvironmentState,
  HistoryEntry,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import { gitopsTranslationRef } from '../../translation';
import { shortRevision } from '../EnvironmentMatrix/shortRevision';
import { RelativeTime } from '../RelativeTime';
import { SourceErrorsPanel } from '../SourceErrorsPanel';
import { errorMessage } from '../errorMessage';

type HistoryRow = Omit<HistoryEntry, 'id'> & { id: string };

function HistoryTable(props: {
  entityRef: string;
  environment: string;
  /** Changes when a cluster of the environment syncs, so the history is read again. */
  deployed: string;
}) {
  const { entityRef, environment, deployed } = props;
  const api = useApi(gitopsApiRef);
  const { t } = useTranslationRef(gitopsTranslationRef);
  const { value, loading, error } = useAsync(
    () => api.getHistory(entityRef, environment),
    [api, entityRef, environment, deployed],
  );

  if (error) {
    return (
      <Alert
        status="danger"
        icon
        title={t('history.loadError')}
        description={errorMessage(error)}
      />
    );
  }

  const columns: ColumnConfig<HistoryRow>[] = [
    {
      id: 'deployedAt',
      label: t('history.deployedAt'),
      isRowHeader: true,
      cell: e => (
        <Cell>
          {e.deployedAt ? (
            <RelativeTime value={e.deployedAt} />
          ) : (
            t('matrix.unknown')
          )}
        </Cell>
      ),
    },
    {
      id: 'cluster',
      label: t('history.cluster'),
      cell: e => <CellText title={e.cluster} />,
    },
    {
      id: 'version',
      label: t('history.version'),
      cell: e => <CellText title={e.version ?? t('matrix.unknown')} />,
    },
    {
      id: 'revision',
      label: t('history.revision'),
      cell: e =>
        e.revision ? (
          <CellText title={shortRevision(e.revision)} href={e.revisionUrl} />
        ) : (
          <CellText title={t('matrix.unknown')} />
        ),
    },
    {
      id: 'compare',
      label: t('history.compare'),
      cell: e => (
        <Cell>
          {e.compareUrl && (
            <Link href={e.compareUrl} target="_blank" variant="body-small">
              {t('history.compareLink')}
            </Link>
          )}
        </Cell>
      ),
    },
  ];

  return (
    <>
      {value && <SourceErrorsPanel errors={value.errors} />}
      <Table
        columnConfig={columns}
        data={value?.entries.map(e => ({
          ...e,
          id: `${e.cluster}/${e.application.name}/${e.id}`,
        }))}
        isPending={loading}
        pagination={{ type: 'none' }}
        emptyState={t('history.empty')}
      />
    </>
  );
}

/** The deployments of one environment, fetched when first expanded. */
export function EnvironmentHistory(props: {
  entityRef: string;
  environment: EnvironmentState;
}) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  const [expanded, setExpanded] = useState(false);
  return (
    <Accordion isExpanded={expanded} onExpandedChange={setExpanded}>
      <AccordionTrigger
        level={4}
        title={t('history.title', { environment: props.environment.title })}
      />
      <AccordionPanel>
        {expanded && (
          <HistoryTable
            entityRef={props.entityRef}
            environment={props.environment.name}
            deployed={props.environment.clusters
              .map(c => `${c.revision}@${c.lastSyncedAt}`)
              .join(' ')}
          />
        )}
      </AccordionPanel>
    </Accordion>
  );
}
