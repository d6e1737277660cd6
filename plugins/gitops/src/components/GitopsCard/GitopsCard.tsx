import { stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Card,
  CardBody,
  CardHeader,
  Flex,
  Skeleton,
  Text,
} from '@backstage/ui';
import { useGitopsState } from '../../hooks/useGitopsState';
import { gitopsTranslationRef } from '../../translation';
import { NotConfigured } from '../NotConfigured';
import { SourceErrorsPanel } from '../SourceErrorsPanel';
import { HealthBadge, SyncBadge } from '../StatusBadges';
import { errorMessage } from '../errorMessage';

/** Overview card: the version and health of each environment. */
export function GitopsCard() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const { t } = useTranslationRef(gitopsTranslationRef);
  const { state, error, loading } = useGitopsState(entityRef);

  let body;
  if (loading) {
    body = <Skeleton width="100%" height={80} />;
  } else if (!state) {
    body = (
      <ResponseErrorPanel
        title={t('loadError.titleWithMessage', {
          message: error ? errorMessage(error) : '',
        })}
        error={error ?? new Error(t('loadError.title'))}
      />
    );
  } else if (state.status === 'not-configured') {
    body = <NotConfigured entityName={entity.metadata.name} />;
  } else {
    body = (
      <Flex direction="column" gap="2">
        <SourceErrorsPanel errors={state.errors} />
        <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {state.environments.map(environment => (
            <li key={environment.name}>
              <Flex justify="between" align="center" gap="2" py="1">
                <Text variant="body-medium" weight="bold">
                  {environment.title}
                </Text>
                <Text variant="body-medium">
                  {environment.versions.join(' / ') || t('pipeline.noVersion')}
                </Text>
                <Flex gap="1">
                  <SyncBadge sync={environment.sync} />
                  <HealthBadge health={environment.health} />
                </Flex>
              </Flex>
            </li>
          ))}
        </ul>
      </Flex>
    );
  }

  return (
    <Card>
      <CardHeader>
        <Text as="h2" variant="title-x-small">
          {t('card.title')}
        </Text>
      </CardHeader>
      <CardBody>{body}</CardBody>
    </Card>
  );
}
