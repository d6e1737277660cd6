import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Box,
  Card,
  CardBody,
  CardHeader,
  CellText,
  ColumnConfig,
  Flex,
  Link,
  Table,
  Text,
} from '@backstage/ui';
import {
  ControlPlaneApplication,
  ControlPlaneCluster,
  ControlPlaneInstance,
  SyncFailureReason,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { RelativeTime } from '../RelativeTime';
import { SourceErrorsPanel } from '../SourceErrorsPanel';

const STATE_COLOR = {
  ok: 'success',
  starting: 'secondary',
  error: 'danger',
} as const;

function Heading(props: { children: string }) {
  return (
    <Text as="h4" variant="body-medium" weight="bold">
      {props.children}
    </Text>
  );
}

function ApplicationTable(props: {
  title: string;
  applications: ControlPlaneApplication[];
}) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  const columns: ColumnConfig<ControlPlaneApplication & { id: string }>[] = [
    {
      id: 'name',
      label: t('controlPlane.application'),
      isRowHeader: true,
      cell: a => (
        <CellText title={a.name} description={a.namespace} href={a.url} />
      ),
    },
    {
      id: 'cluster',
      label: t('controlPlane.cluster'),
      cell: a => <CellText title={a.cluster ?? ''} />,
    },
    {
      id: 'since',
      label: t('controlPlane.since'),
      cell: a => (
        <CellText
          title={a.since ? new Date(a.since).toLocaleString() : ''}
          description={a.message}
        />
      ),
    },
  ];
  return (
    <Box mt="3">
      <Heading>{`${props.title} (${props.applications.length})`}</Heading>
      {props.applications.length === 0 ? (
        <Text as="p" variant="body-small" color="secondary">
          {t('controlPlane.none')}
        </Text>
      ) : (
        <Table
          columnConfig={columns}
          data={props.applications.map(a => ({
            ...a,
            id: `${a.namespace}/${a.name}`,
          }))}
          pagination={{ type: 'none' }}
        />
      )}
    </Box>
  );
}

function ReasonTable(props: { reasons: SyncFailureReason[] }) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  const columns: ColumnConfig<SyncFailureReason & { id: string }>[] = [
    {
      id: 'message',
      label: t('controlPlane.reason'),
      isRowHeader: true,
      cell: r => <CellText title={r.message} />,
    },
    {
      id: 'count',
      label: t('controlPlane.count'),
      cell: r => <CellText title={String(r.count)} />,
    },
  ];
  return (
    <Table
      columnConfig={columns}
      data={props.reasons.map(r => ({ ...r, id: r.message }))}
      pagination={{ type: 'none' }}
    />
  );
}

function ClusterTable(props: { clusters: ControlPlaneCluster[] }) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  const columns: ColumnConfig<ControlPlaneCluster & { id: string }>[] = [
    {
      id: 'name',
      label: t('controlPlane.cluster'),
      isRowHeader: true,
      cell: c => <CellText title={c.name} />,
    },
    {
      id: 'environment',
      label: t('controlPlane.environment'),
      cell: c => <CellText title={c.environment ?? ''} />,
    },
    {
      id: 'applications',
      label: t('controlPlane.applications'),
      cell: c => <CellText title={String(c.applications)} />,
    },
    {
      id: 'outOfSync',
      label: t('controlPlane.outOfSync'),
      cell: c => <CellText title={String(c.outOfSync)} />,
    },
    {
      id: 'degraded',
      label: t('controlPlane.degraded'),
      cell: c => <CellText title={String(c.degraded)} />,
    },
    {
      id: 'syncFailures',
      label: t('controlPlane.syncFailures'),
      cell: c => <CellText title={String(c.syncFailures24h)} />,
    },
  ];
  return (
    <Box mt="3">
      <Heading>{t('controlPlane.clusters')}</Heading>
      <Table
        columnConfig={columns}
        data={props.clusters.map(c => ({ ...c, id: c.name }))}
        pagination={{ type: 'none' }}
      />
    </Box>
  );
}

/** One Argo CD instance of the control-plane panel. */
export function InstanceSection(props: {
  instance: ControlPlaneInstance;
  thresholdMinutes: string;
}) {
  const { instance } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  return (
    <Card aria-label={instance.name}>
      <CardHeader>
        <Flex justify="between" align="center">
          <Flex align="center" gap="2">
            <Text as="h3" variant="title-small">
              {instance.name}
            </Text>
            <Text variant="body-small" color="secondary">
              {instance.type}
            </Text>
            <Text variant="body-small" color={STATE_COLOR[instance.state]}>
              {t(`controlPlane.state_${instance.state}`)}
            </Text>
          </Flex>
          {instance.url && (
            <Link href={instance.url} target="_blank" variant="body-small">
              {t('controlPlane.openArgoCd')}
            </Link>
          )}
        </Flex>
      </CardHeader>
      <CardBody>
        <SourceErrorsPanel errors={instance.errors} />
        <Flex gap="6" mt="2">
          <Text variant="body-medium">
            {instance.lastEventAt
              ? t('controlPlane.lastEvent', {
                  time: <RelativeTime value={instance.lastEventAt} />,
                })
              : t('controlPlane.noEvent')}
          </Text>
          <Text variant="body-medium">
            {`${t('controlPlane.applications')}: ${instance.applications}`}
          </Text>
          <Text variant="body-medium">
            {`${t('controlPlane.syncFailures')}: ${instance.syncFailures24h}`}
          </Text>
        </Flex>
        <Box mt="3">
          <Heading>{t('controlPlane.topReasons')}</Heading>
          {instance.topSyncFailureReasons.length === 0 ? (
            <Text as="p" variant="body-small" color="secondary">
              {t('controlPlane.noFailures')}
            </Text>
          ) : (
            <ReasonTable reasons={instance.topSyncFailureReasons} />
          )}
        </Box>
        <ApplicationTable
          title={t('controlPlane.outOfSyncLong', {
            minutes: props.thresholdMinutes,
          })}
          applications={instance.outOfSyncLong}
        />
        <ApplicationTable
          title={t('controlPlane.degraded')}
          applications={instance.degraded}
        />
        {instance.clusters.length > 0 && (
          <ClusterTable clusters={instance.clusters} />
        )}
      </CardBody>
    </Card>
  );
}
