import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, Link, Text } from '@backstage/ui';
import { gitopsTranslationRef } from '../../translation';
import { GateList } from './GateList';
import { ResultAlert } from './ResultAlert';
import { PROMOTION_STEPS, PromotionRun, StepStatus } from './usePromotionRun';

const stepIcons: Record<StepStatus, () => JSX.Element> = {
  pending: () => <StatusPending />,
  active: () => <StatusRunning />,
  done: () => <StatusOK />,
  failed: () => <StatusError />,
};

/** The steps of a confirmed promotion, its result and the links to its pull requests. */
export function PromotionProgress(props: { run: PromotionRun }) {
  const { run } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const result = run.result;
  return (
    <Flex direction="column" gap="3">
      <ol
        aria-label={t('promote.progress')}
        style={{ listStyle: 'none', padding: 0, margin: 0 }}
      >
        {PROMOTION_STEPS.map(step => (
          <li
            key={step}
            aria-current={run.steps[step] === 'active' ? 'step' : undefined}
          >
            <Flex align="center" gap="1">
              {stepIcons[run.steps[step]]()}
              <Text variant="body-medium">
                {t(`promote.steps.${step}`)}:{' '}
                {t(`promote.stepStatus.${run.steps[step]}`)}
              </Text>
            </Flex>
          </li>
        ))}
      </ol>
      <ResultAlert run={run} />
      {result && run.steps.gates === 'failed' && result.plan && (
        <GateList gates={result.plan.gates} />
      )}
      {result && result.pullRequests.length > 0 && (
        <ul style={{ margin: 0 }}>
          {result.pullRequests.map(pr => (
            <li key={pr.url}>
              <Link href={pr.url} target="_blank">
                {t('promote.pullRequest', {
                  number: String(pr.number),
                  action: pr.action,
                })}
              </Link>
            </li>
          ))}
          {result.superseded.map(pr => (
            <li key={pr.url}>
              <Link href={pr.url} target="_blank" variant="body-small">
                {t('promote.superseded', {
                  number: String(pr.number),
                  action: pr.action,
                })}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Flex>
  );
}
