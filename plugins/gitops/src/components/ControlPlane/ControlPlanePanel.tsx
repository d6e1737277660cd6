import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, Text } from '@backstage/ui';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';
import { gitopsTranslationRef } from '../../translation';
import { RelativeTime } from '../RelativeTime';
import { InstanceSection } from './InstanceSection';

/**
 * Control-plane health for platform teams: one section per Argo CD instance with its connection,
 * sync failures of the last 24 hours and their top reasons, Applications OutOfSync too long and
 * Degraded, and its clusters. Needs `gitops.controlplane.read`.
 *
 * @public
 */
export function ControlPlanePanel() {
  const { t } = useTranslationRef(gitopsTranslationRef);
  const api = useApi(gitopsApiRef);
  const { value, loading, error } = useAsync(
    () => api.getControlPlane(),
    [api],
  );
  if (loading) {
    return <Progress aria-label={t('controlPlane.loading')} />;
  }
  if (error || !value) {
    return (
      <ResponseErrorPanel
        title={t('controlPlane.loadError', {
          message: error?.message ?? '',
        })}
        error={error ?? new Error('no answer')}
      />
    );
  }
  const minutes = String(value.outOfSyncThresholdMinutes);
  return (
    <Flex direction="column" gap="4">
      <Text as="p" variant="body-small" color="secondary">
        {t('controlPlane.threshold', {
          minutes,
          time: <RelativeTime value={value.watchingSince} />,
        })}
      </Text>
      {value.instances.length === 0 ? (
        <Text as="p">{t('controlPlane.empty')}</Text>
      ) : (
        value.instances.map(instance => (
          <InstanceSection
            key={instance.name}
            instance={instance}
            thresholdMinutes={minutes}
          />
        ))
      )}
    </Flex>
  );
}
