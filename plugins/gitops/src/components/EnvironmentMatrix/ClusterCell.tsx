import { ReactNode, useId } from 'react';
import { StatusWarning } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Alert, Badge, Box, Flex, Link, Text } from '@backstage/ui';
import { ClusterState } from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { driftCount } from '../DriftPanel';
import { RelativeTime } from '../RelativeTime';
import { desiredVersionText } from './desiredVersionText';
import { shortRevision } from './shortRevision';
import {
  HealthBadge,
  healthTone,
  SyncBadge,
  toneBorderColor,
} from '../StatusBadges';

function Field(props: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>
        <Text variant="body-small" color="secondary">
          {props.label}
        </Text>
      </dt>
      <dd style={{ margin: 0 }}>
        <Text variant="body-small">{props.children}</Text>
      </dd>
    </>
  );
}

const FAILED_PHASES = new Set(['Failed', 'Error']);

/** Why the last sync failed: the operation's message and the failed resources and hooks. */
function OperationFailure(props: { cluster: ClusterState }) {
  const { operation } = props.cluster;
  const { t } = useTranslationRef(gitopsTranslationRef);
  if (!operation || !FAILED_PHASES.has(operation.phase)) {
    return null;
  }
  const failed = (operation.failed ?? []).map(r => {
    const resource = `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${
      r.name
    }`;
    const what = r.hookType
      ? t('matrix.failedHook', { hookType: r.hookType, resource })
      : t('matrix.failedResource', { resource });
    return r.message ? `${what}: ${r.message}` : what;
  });
  return (
    <Alert
      mt="2"
      status="danger"
      icon
      title={t('matrix.operationFailed', { phase: operation.phase })}
      description={
        <>
          {operation.message && <Text as="p">{operation.message}</Text>}
          {failed.length > 0 && (
            <ul style={{ margin: 0 }}>
              {failed.map(line => (
                <li key={line}>
                  <Text variant="body-small">{line}</Text>
                </li>
              ))}
            </ul>
          )}
        </>
      }
    />
  );
}

/** One (environment, cluster) cell of the matrix. */
export function ClusterCell(props: { cluster: ClusterState }) {
  const { cluster } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const headingId = useId();
  const drift = driftCount(cluster.drift);
  const unknown = t('matrix.unknown');
  const { text: desired, title: desiredTitle } = desiredVersionText(cluster, t);

  return (
    <Box
      as="section"
      aria-labelledby={headingId}
      p="3"
      style={{
        flex: '1 1 18rem',
        minWidth: '16rem',
        border: '1px solid var(--bui-border-1)',
        borderTop: `4px solid ${toneBorderColor(
          cluster.error ? 'danger' : healthTone(cluster.health),
        )}`,
        borderRadius: 'var(--bui-radius-2)',
      }}
    >
      <Text as="h4" variant="title-x-small" id={headingId}>
        {cluster.cluster}
      </Text>

      {cluster.error && (
        <Alert
          mt="2"
          status="danger"
          icon
          title={t('matrix.sourceFailed')}
          description={t('sourceErrors.item', {
            source: cluster.error.source,
            kind: cluster.error.kind,
            message: cluster.error.message,
          })}
        />
      )}

      {!cluster.application ? (
        // a failing source without last-known data: the alert above is all there is to say
        !cluster.error && (
          <Text as="p" variant="body-small" color="secondary">
            {t('matrix.notDeployed')}
          </Text>
        )
      ) : (
        <>
          <Flex gap="1" mt="2" style={{ flexWrap: 'wrap' }}>
            <SyncBadge sync={cluster.sync} />
            <HealthBadge health={cluster.health} />
            {cluster.skew && (
              <Badge size="small" icon={<StatusWarning />}>
                {t('matrix.skew')}
              </Badge>
            )}
            {cluster.application.applicationSet && (
              <Badge size="small">
                {t('matrix.fromApplicationSet', {
                  name: cluster.application.applicationSet,
                })}
              </Badge>
            )}
          </Flex>
          <dl
            style={{
              display: 'grid',
              gridTemplateColumns: 'max-content 1fr',
              columnGap: 'var(--bui-space-3)',
              rowGap: 'var(--bui-space-1)',
              margin: 'var(--bui-space-2) 0',
            }}
          >
            <Field label={t('matrix.live')}>
              <Text
                as="span"
                variant="body-small"
                weight={cluster.skew ? 'bold' : 'regular'}
                color="primary"
              >
                {cluster.liveVersion ??
                  (cluster.liveVersionReason
                    ? t('matrix.unknownBecause', {
                        reason: cluster.liveVersionReason,
                      })
                    : unknown)}
              </Text>
            </Field>
            <Field label={t('matrix.desired')}>
              {cluster.desiredSource?.url ? (
                <Link
                  href={cluster.desiredSource.url}
                  target="_blank"
                  variant="body-small"
                  title={desiredTitle}
                >
                  {desired}
                </Link>
              ) : (
                <span title={desiredTitle}>{desired}</span>
              )}
            </Field>
            <Field label={t('matrix.revision')}>
              {cluster.revision && cluster.revisionUrl ? (
                <Link
                  href={cluster.revisionUrl}
                  target="_blank"
                  variant="body-small"
                  title={cluster.revision}
                >
                  {shortRevision(cluster.revision)}
                </Link>
              ) : (
                (cluster.revision && shortRevision(cluster.revision)) ?? unknown
              )}
            </Field>
            <Field label={t('matrix.lastSynced')}>
              {cluster.lastSyncedAt ? (
                <RelativeTime value={cluster.lastSyncedAt} />
              ) : (
                t('matrix.never')
              )}
            </Field>
            {cluster.operationPhase && (
              <Field label={t('matrix.operation')}>
                {cluster.operationPhase}
              </Field>
            )}
          </dl>
          <OperationFailure cluster={cluster} />
          {drift > 0 && (
            <Text as="p" variant="body-small" weight="bold">
              {t('drift.summary', { count: drift })}
            </Text>
          )}
          {cluster.application?.url && (
            <Link
              href={cluster.application.url}
              target="_blank"
              variant="body-small"
            >
              {t('matrix.openInArgoCd', {
                application: cluster.application.name,
              })}
            </Link>
          )}
        </>
      )}
    </Box>
  );
}
