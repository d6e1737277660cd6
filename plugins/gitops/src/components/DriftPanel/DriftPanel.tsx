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
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { driftCount } from './driftCount';

type ResourceRow = DriftedResource & { id: string };

function ResourceTable(props: { title: string; resources: DriftedResource[] }) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  if (props.resources.length === 0) {
    return null;
  }
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
        {props.title} ({props.resources.length})
      </Text>
      <Table columnConfig={columns} data={data} pagination={{ type: 'none' }} />
    </Box>
  );
}

/** What differs between Git and the live cluster, with expected drift shown apart. */
export function DriftPanel(props: { cluster: ClusterState }) {
  const { cluster } = props;
  const { drift } = cluster;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const count = driftCount(drift);
  if (count === 0 && drift.expected.length === 0) {
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
          title={t('drift.outOfSync')}
          resources={drift.outOfSync}
        />
        <ResourceTable
          title={t('drift.requiresPruning')}
          resources={drift.requiresPruning}
        />
        <ResourceTable title={t('drift.missing')} resources={drift.missing} />
        {drift.comparisonErrors.length > 0 && (
          <Box mt="3">
            <Text as="h5" variant="body-medium" weight="bold">
              {t('drift.comparisonErrors')} ({drift.comparisonErrors.length})
            </Text>
            <ul>
              {drift.comparisonErrors.map(message => (
                <li key={message}>
                  <Text variant="body-small" color="danger">
                    {message}
                  </Text>
                </li>
              ))}
            </ul>
          </Box>
        )}
        <ResourceTable title={t('drift.expected')} resources={drift.expected} />
      </AccordionPanel>
    </Accordion>
  );
}
