import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Accordion,
  AccordionPanel,
  AccordionTrigger,
  Box,
  CellText,
  ColumnConfig,
  Table,
  Text,
} from '@backstage/ui';
import {
  ClusterState,
  DriftedResource,
  driftCounts,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { driftCount } from './driftCount';

type ResourceRow = DriftedResource & { id: string };

function ResourceTable(props: {
  title: string;
  resources: DriftedResource[];
  /** The exact number in the category, which may exceed the resources the state kept. */
  count: number;
}) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  if (props.count === 0) {
    return null;
  }
  const shown = props.resources.length;
  const columns: ColumnConfig<ResourceRow>[] = [
    {
      id: 'kind',
      label: t('drift.kind'),
      isRowHeader: true,
      cell: r => <CellText title={r.kind} description={r.group || undefined} />,
    },
    {
      id: 'namespace',
      label: t('drift.namespace'),
      cell: r => <CellText title={r.namespace ?? ''} />,
    },
    {
      id: 'name',
      label: t('drift.name'),
      cell: r => <CellText title={r.name} />,
    },
    {
      id: 'status',
      label: t('drift.status'),
      cell: r => (
        <CellText title={[r.status, r.health].filter(Boolean).join(' / ')} />
      ),
    },
  ];
  const data = props.resources.map(r => ({
    ...r,
    id: [r.group ?? '', r.kind, r.namespace ?? '', r.name].join('/'),
  }));
  return (
    <Box mt="3">
      <Text as="h5" variant="body-medium" weight="bold">
        {props.title} ({props.count})
      </Text>
      {shown < props.count && (
        <Text as="p" variant="body-small" color="secondary">
          {t('drift.listed', {
            shown: String(shown),
            total: String(props.count),
          })}
        </Text>
      )}
      <Table columnConfig={columns} data={data} pagination={{ type: 'none' }} />
    </Box>
  );
}

function MessageList(props: {
  title: string;
  messages: string[];
  color: 'danger' | 'warning';
}) {
  if (props.messages.length === 0) {
    return null;
  }
  return (
    <Box mt="3">
      <Text as="h5" variant="body-medium" weight="bold">
        {props.title} ({props.messages.length})
      </Text>
      <ul>
        {props.messages.map(message => (
          <li key={message}>
            <Text variant="body-small" color={props.color}>
              {message}
            </Text>
          </li>
        ))}
      </ul>
    </Box>
  );
}

/** What differs between Git and the live cluster, with expected drift shown apart. */
export function DriftPanel(props: { cluster: ClusterState }) {
  const { cluster } = props;
  const { drift } = cluster;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const count = driftCount(drift);
  const counts = driftCounts(drift);
  const warnings = drift.warnings ?? [];
  if (count === 0 && counts.expected === 0 && warnings.length === 0) {
    return null;
  }
  return (
    <Accordion defaultExpanded={count > 0}>
      <AccordionTrigger
        level={4}
        title={`${t('drift.title')}: ${cluster.cluster}`}
        subtitle={count > 0 ? t('drift.summary', { count }) : t('drift.none')}
      />
      <AccordionPanel>
        <ResourceTable
          title={t('drift.missing')}
          resources={drift.missing}
          count={counts.missing}
        />
        <ResourceTable
          title={t('drift.requiresPruning')}
          resources={drift.requiresPruning}
          count={counts.requiresPruning}
        />
        <ResourceTable
          title={t('drift.outOfSync')}
          resources={drift.outOfSync}
          count={counts.outOfSync}
        />
        <MessageList
          title={t('drift.comparisonErrors')}
          messages={drift.comparisonErrors}
          color="danger"
        />
        <MessageList
          title={t('drift.warnings')}
          messages={warnings}
          color="warning"
        />
        <ResourceTable
          title={t('drift.expected')}
          resources={drift.expected}
          count={counts.expected}
        />
      </AccordionPanel>
    </Accordion>
  );
}
