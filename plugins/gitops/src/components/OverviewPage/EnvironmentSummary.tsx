import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, Text } from '@backstage/ui';
import {
  Lag,
  OverviewEnvironment,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { RelativeTime } from '../RelativeTime';
import { HealthBadge, StatusBadge } from '../StatusBadges';
import { TrackedPromotionStatus } from '../TrackedPromotion';

function LagText(props: { lag: Lag; title: (name: string) => string }) {
  const { lag } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const environment = props.title(lag.previousEnvironment);
  if (!lag.behind) {
    return null;
  }
  return (
    <Text variant="body-small" color="warning">
      {lag.versionsBehind
        ? t('pipeline.versionsBehind', {
            count: lag.versionsBehind,
            environment,
          })
        : t('pipeline.behind', { environment })}
    </Text>
  );
}

/**
 * One environment of a service, in one table cell: version (or the distinct versions with a skew
 * mark), lag behind the previous environment, health, drift with its age, failures, unknown
 * clusters and the promotion into it.
 */
export function EnvironmentSummary(props: {
  environment?: OverviewEnvironment;
  title: (name: string) => string;
}) {
  const { environment, title } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  if (!environment) {
    return (
      <Text variant="body-small" color="secondary">
        {t('overview.notDeployed')}
      </Text>
    );
  }
  return (
    <Flex direction="column" gap="1" align="start">
      {environment.skew ? (
        <Text variant="body-medium" weight="bold" color="warning">
          {t('overview.skew', { versions: environment.versions.join(', ') })}
        </Text>
      ) : (
        <Text variant="body-medium" weight="bold">
          {environment.version ??
            environment.versions[0] ??
            t('overview.noVersion')}
        </Text>
      )}
      {environment.lag && <LagText lag={environment.lag} title={title} />}
      <Flex gap="1" align="center" style={{ flexWrap: 'wrap' }}>
        <HealthBadge health={environment.health} />
        {environment.failing && (
          <StatusBadge
            label={t('status.healthLabel')}
            value={t('overview.failing')}
            tone="danger"
          />
        )}
      </Flex>
      {environment.driftedResources > 0 && (
        <Text variant="body-small" color="warning">
          {t('overview.drifted', { count: environment.driftedResources })}
          {environment.driftedSince && (
            <>
              , {t('overview.driftedSince')}{' '}
              <RelativeTime value={environment.driftedSince} />
            </>
          )}
        </Text>
      )}
      {environment.unknownClusters > 0 && (
        <Text variant="body-small" color="danger">
          {t('overview.unknownClusters', {
            count: environment.unknownClusters,
          })}
        </Text>
      )}
      {environment.promotion && (
        <TrackedPromotionStatus compact promotion={environment.promotion} />
      )}
    </Flex>
  );
}
