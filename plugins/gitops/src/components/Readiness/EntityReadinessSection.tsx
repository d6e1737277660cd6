import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { Alert } from '@backstage/ui';
import { EnvironmentState } from '@backstage-gitops/plugin-gitops-common';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';
import { gitopsTranslationRef } from '../../translation';
import { errorMessage } from '../errorMessage';
import { ReadinessSection } from './ReadinessSection';

/**
 * The entity's readiness, read from its own route so the live cells never wait for it; read
 * again when the state changes (`updatedAt`).
 */
export function EntityReadinessSection(props: {
  entityRef: string;
  environments: EnvironmentState[];
  updatedAt: string;
}) {
  const { entityRef, environments, updatedAt } = props;
  const api = useApi(gitopsApiRef);
  const { t } = useTranslationRef(gitopsTranslationRef);
  const { value, error } = useAsync(
    () => api.getReadiness(entityRef),
    [api, entityRef, updatedAt],
  );
  if (error) {
    return (
      <Alert
        status="danger"
        icon
        title={t('readiness.loadError')}
        description={errorMessage(error)}
      />
    );
  }
  return (
    <ReadinessSection
      readiness={value?.environments}
      environments={environments}
    />
  );
}
