import { EmptyState } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Text } from '@backstage/ui';
import { ANNOTATION_ARGOCD_APP_SELECTOR } from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';

/** Shown when the entity has no GitOps annotation: the annotation to add. */
export function NotConfigured(props: { entityName: string }) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  const snippet = [
    'metadata:',
    '  annotations:',
    `    ${ANNOTATION_ARGOCD_APP_SELECTOR}: app.kubernetes.io/name=${props.entityName}`,
  ].join('\n');
  return (
    <EmptyState
      missing="field"
      title={t('notConfigured.title')}
      description={t('notConfigured.description')}
      action={
        <Box
          as="pre"
          p="3"
          style={{
            fontFamily: 'var(--bui-font-monospace)',
            background: 'var(--bui-bg-neutral-2)',
            borderRadius: 'var(--bui-radius-2)',
            overflowX: 'auto',
          }}
        >
          <Text as="span" variant="body-small">
            <code>{snippet}</code>
          </Text>
        </Box>
      }
    />
  );
}
