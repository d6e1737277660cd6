import { WarningPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Text } from '@backstage/ui';
import { SourceError } from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { RelativeTime } from '../RelativeTime';

/** Lists every source that failed; the data of the other sources is shown beside it. */
export function SourceErrorsPanel(props: { errors: SourceError[] }) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  if (props.errors.length === 0) {
    return null;
  }
  return (
    <WarningPanel
      severity="warning"
      defaultExpanded
      title={t('sourceErrors.title', { count: props.errors.length })}
    >
      <ul style={{ margin: 0, paddingLeft: 'var(--bui-space-4)' }}>
        {props.errors.map(error => (
          <li key={`${error.source}:${error.cluster ?? ''}:${error.message}`}>
            <Text variant="body-medium">
              {t('sourceErrors.item', {
                source: error.source,
                kind: error.kind,
                message: error.message,
              })}
            </Text>
            {error.since && (
              <Text variant="body-small" color="secondary">
                {' '}
                {t('sourceErrors.since', {
                  time: <RelativeTime value={error.since} />,
                })}
              </Text>
            )}
          </li>
        ))}
      </ul>
    </WarningPanel>
  );
}
