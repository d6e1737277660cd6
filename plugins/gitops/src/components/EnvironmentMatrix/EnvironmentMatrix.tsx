import { useId } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Flex, Text } from '@backstage/ui';
import {
  EnvironmentState,
  EntityGitopsState,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { DriftPanel } from '../DriftPanel';
import { EnvironmentHistory } from '../EnvironmentHistory';
import { TrackedPromotionStatus } from '../TrackedPromotion';
import { PromoteButton } from '../PromoteDialog';
import { ClusterCell } from './ClusterCell';
import { ClusterGrid } from './ClusterGrid';

/** Up to this many clusters an environment shows a card per cluster; more get the grid. */
const MAX_CLUSTER_CARDS = 4;

/** The clusters of one environment: cards, or the compact grid when there are many. */
function Clusters(props: { environment: EnvironmentState }) {
  const { environment } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  if (environment.clusters.length === 0) {
    return (
      <Text as="p" variant="body-small" color="secondary">
        {t('matrix.noClusters')}
      </Text>
    );
  }
  if (environment.clusters.length > MAX_CLUSTER_CARDS) {
    return (
      <Box mt="2">
        <ClusterGrid
          clusters={environment.clusters}
          label={t('matrix.grid.label', { environment: environment.title })}
        />
      </Box>
    );
  }
  return (
    <Flex gap="3" mt="2" style={{ flexWrap: 'wrap' }}>
      {environment.clusters.map(cluster => (
        <ClusterCell key={cluster.cluster} cluster={cluster} />
      ))}
    </Flex>
  );
}

function EnvironmentRow(props: {
  entityRef: string;
  environment: EnvironmentState;
  environments: EnvironmentState[];
  promotionUnavailable?: string;
}) {
  const { entityRef, environment, environments, promotionUnavailable } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const headingId = useId();
  const next = environments.find(e => e.name === environment.next);
  return (
    <Box
      as="section"
      aria-labelledby={headingId}
      py="3"
      style={{ borderBottom: '1px solid var(--bui-border-1)' }}
    >
      <Flex
        justify="between"
        align="center"
        gap="3"
        style={{ flexWrap: 'wrap' }}
      >
        <Flex align="baseline" gap="2">
          <Text as="h3" variant="title-x-small" id={headingId}>
            {environment.title}
          </Text>
          <Text variant="body-small" color="secondary">
            {environment.versions.join(' / ')}
          </Text>
          {environment.skew && (
            <Text variant="body-small" weight="bold">
              {t('pipeline.skew')}
            </Text>
          )}
        </Flex>
        {next && (
          <PromoteButton
            entityRef={entityRef}
            from={environment}
            to={next}
            unavailable={promotionUnavailable}
          />
        )}
      </Flex>
      {environment.promotion && (
        <Box mt="2">
          <TrackedPromotionStatus promotion={environment.promotion} />
        </Box>
      )}
      <Clusters environment={environment} />
      <Box mt="2">
        {environment.clusters.map(cluster => (
          <DriftPanel key={cluster.cluster} cluster={cluster} />
        ))}
        <EnvironmentHistory entityRef={entityRef} environment={environment} />
      </Box>
    </Box>
  );
}

/** A row per environment, a cell per cluster. */
export function EnvironmentMatrix(props: { state: EntityGitopsState }) {
  const { state } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const headingId = useId();
  return (
    <Box as="section" aria-labelledby={headingId}>
      <Text as="h2" variant="title-small" id={headingId}>
        {t('matrix.title')}
      </Text>
      {state.environments.map(environment => (
        <EnvironmentRow
          key={environment.name}
          entityRef={state.entityRef}
          environment={environment}
          environments={state.environments}
          promotionUnavailable={state.promotionUnavailable}
        />
      ))}
    </Box>
  );
}
