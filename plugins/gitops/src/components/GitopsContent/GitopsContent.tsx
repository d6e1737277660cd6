import { stringifyEntityRef } from '@backstage/catalog-model';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Alert, Flex, Text } from '@backstage/ui';
import { useGitopsState } from '../../hooks/useGitopsState';
import { gitopsTranslationRef } from '../../translation';
import { EnvironmentMatrix } from '../EnvironmentMatrix';
import { NotConfigured } from '../NotConfigured';
import { PipelineView } from '../PipelineView';
import { EntityReadinessSection } from '../Readiness';
import { RelativeTime } from '../RelativeTime';
import { SourceErrorsPanel } from '../SourceErrorsPanel';
import { errorMessage } from '../errorMessage';

/** Content of the GitOps entity tab: pipeline, failing sources, matrix, drift and history. */
export function GitopsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { t } = useTranslationRef(gitopsTranslationRef);
  const { state, error, loading } = useGitopsState(entityRef);

  if (loading) {
    return <Progress aria-label={t('content.loading')} />;
  }
  if (!state) {
    return (
      <ResponseErrorPanel
        title={t('loadError.titleWithMessage', {
          message: error ? errorMessage(error) : '',
        })}
        error={error ?? new Error(t('loadError.title'))}
      />
    );
  }
  if (state.status === 'not-configured') {
    return <NotConfigured entityName={entity.metadata.name} />;
  }

  return (
    <Flex direction="column" gap="4" p="4" data-testid="gitops-content">
      {error && (
        <Alert
          status="warning"
          icon
          title={t('content.staleError', { message: errorMessage(error) })}
        />
      )}
      <SourceErrorsPanel errors={state.errors} />
      <PipelineView environments={state.environments} />
      <EnvironmentMatrix state={state} />
      <EntityReadinessSection
        entityRef={state.entityRef}
        environments={state.environments}
        updatedAt={state.updatedAt}
      />
      <Text variant="body-x-small" color="secondary" aria-live="polite">
        {t('content.updatedAt', {
          time: <RelativeTime key={state.updatedAt} value={state.updatedAt} />,
        })}
      </Text>
    </Flex>
  );
}
