import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Flex, Text } from '@backstage/ui';
import { EnvironmentState, Lag } from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import {
  HealthBadge,
  healthTone,
  StatusTone,
  toneBorderColor,
} from '../StatusBadges';

function LagLabel(props: {
  lag: Lag;
  version?: string;
  previousTitle?: string;
}) {
  const { lag, version } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const environment = props.previousTitle ?? lag.previousEnvironment;
  if (lag.behind) {
    return (
      <Text variant="body-small" weight="bold">
        {lag.versionsBehind
          ? t('pipeline.versionsBehind', {
              count: lag.versionsBehind,
              environment,
            })
          : t('pipeline.behind', { environment })}
      </Text>
    );
  }
  if (lag.previousVersion && version && lag.previousVersion !== version) {
    return (
      <Text variant="body-small" color="secondary">
        {t('pipeline.ahead', { environment })}
      </Text>
    );
  }
  return (
    <Text variant="body-small" color="secondary">
      {t('pipeline.upToDate', { environment })}
    </Text>
  );
}

function Arrow(props: { tone: StatusTone }) {
  return (
    <svg
      width="48"
      height="16"
      viewBox="0 0 48 16"
      aria-hidden="true"
      focusable="false"
    >
      <line
        x1="2"
        y1="8"
        x2="40"
        y2="8"
        stroke={toneBorderColor(props.tone)}
        strokeWidth="2"
      />
      <polygon points="38,2 46,8 38,14" fill={toneBorderColor(props.tone)} />
    </svg>
  );
}

/** Environments left to right with the version each runs and how far each lags the previous. */
export function PipelineView(props: { environments: EnvironmentState[] }) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  return (
    <Box as="section" aria-labelledby="gitops-pipeline-title">
      <Text as="h2" variant="title-small" id="gitops-pipeline-title">
        {t('pipeline.title')}
      </Text>
      <ol
        aria-labelledby="gitops-pipeline-title"
        style={{
          display: 'flex',
          flexWrap: 'wrap',
          alignItems: 'center',
          gap: 'var(--bui-space-2)',
          listStyle: 'none',
          padding: 0,
          margin: 'var(--bui-space-2) 0 0',
        }}
      >
        {props.environments.map(environment => (
          <li
            key={environment.name}
            style={{
              display: 'flex',
              alignItems: 'center',
              gap: 'var(--bui-space-2)',
            }}
          >
            {environment.lag && (
              <Flex direction="column" align="center" gap="1">
                <Arrow tone={environment.lag.behind ? 'warning' : 'neutral'} />
                <LagLabel
                  lag={environment.lag}
                  version={environment.version}
                  previousTitle={
                    props.environments.find(
                      e => e.name === environment.lag?.previousEnvironment,
                    )?.title
                  }
                />
              </Flex>
            )}
            <Box
              p="3"
              style={{
                minWidth: '10rem',
                border: '1px solid var(--bui-border-1)',
                borderLeft: `4px solid ${toneBorderColor(
                  healthTone(environment.health),
                )}`,
                borderRadius: 'var(--bui-radius-2)',
              }}
            >
              <Text as="p" variant="body-small" color="secondary">
                {environment.title}
              </Text>
              <Text as="p" variant="title-x-small" weight="bold">
                {environment.versions.length > 0
                  ? environment.versions.join(' / ')
                  : t('pipeline.noVersion')}
              </Text>
              <Flex gap="1" mt="1" style={{ flexWrap: 'wrap' }}>
                <HealthBadge health={environment.health} />
                {environment.skew && (
                  <Text variant="body-small">{t('pipeline.skew')}</Text>
                )}
              </Flex>
            </Box>
          </li>
        ))}
      </ol>
    </Box>
  );
}
