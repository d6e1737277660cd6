import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Alert } from '@backstage/ui';
import { gitopsTranslationRef } from '../../translation';
import { errorMessage } from '../errorMessage';
import { PromotionRun } from './usePromotionRun';

/** How a confirmed promotion ended, with the backend's message. */
export function ResultAlert(props: { run: PromotionRun }) {
  const { run } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const result = run.result;
  if (run.error) {
    return (
      <Alert
        status="danger"
        icon
        title={t('promote.result.failed')}
        description={errorMessage(run.error)}
      />
    );
  }
  if (!result) {
    return null;
  }
  if (run.steps.gates === 'failed') {
    return (
      <Alert
        status="danger"
        icon
        title={t('promote.result.blocked')}
        description={result.message}
      />
    );
  }
  if (result.outcome === 'opened' || result.outcome === 'updated') {
    return (
      <Alert
        status="success"
        icon
        title={t(`promote.result.${result.outcome}`)}
        description={result.message}
      />
    );
  }
  if (result.outcome === 'noop' || result.plan?.noop) {
    return (
      <Alert
        status="info"
        icon
        title={t('promote.result.noop')}
        description={result.message}
      />
    );
  }
  return (
    <Alert
      status="danger"
      icon
      title={t('promote.result.failed')}
      description={result.message}
    />
  );
}
