import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Alert, Box, Flex, Text } from '@backstage/ui';
import {
  EnvironmentState,
  PromotionResult,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { DiffView } from './DiffView';
import { GateList } from './GateList';

/** The preview of a promotion: rollback notice, gates, and the diff of every wave. */
export function PlanView(props: {
  result: PromotionResult;
  from: EnvironmentState;
  to: EnvironmentState;
}) {
  const { result, from, to } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const plan = result.plan;
  return (
    <Flex direction="column" gap="3">
      {plan?.rollback && (
        <Alert
          status="warning"
          icon
          title={t('promote.rollbackNotice', {
            environment: to.title,
            version: plan.version,
          })}
          description={t('promote.rollbackNoticeDescription', {
            version: plan.version,
            from: from.title,
          })}
        />
      )}
      {plan && plan.gates.length > 0 && <GateList gates={plan.gates} />}
      {plan?.noop || result.outcome === 'noop' ? (
        <Alert
          status="info"
          icon
          title={t('promote.noop', { environment: to.title })}
        />
      ) : (
        plan &&
        plan.waves.length > 0 && (
          <section aria-label={t('promote.diff')}>
            <Text as="h3" variant="body-medium" weight="bold">
              {t('promote.diff')}
            </Text>
            {plan.waves.map(wave => (
              <Box key={wave.index} mt="2">
                {plan.waves.length > 1 && (
                  <Text as="p" variant="body-small" weight="bold">
                    {t('promote.wave', {
                      index: String(wave.index + 1),
                      clusters: wave.clusters.join(', '),
                    })}
                  </Text>
                )}
                {wave.edits.map(edit => (
                  <Box key={`${edit.repoUrl}/${edit.path}`} mt="1">
                    <Text as="p" variant="body-small" color="secondary">
                      {edit.path} ({edit.fromVersion ?? '?'} → {edit.toVersion})
                    </Text>
                    <DiffView diff={edit.diff} label={edit.path} />
                  </Box>
                ))}
              </Box>
            ))}
          </section>
        )
      )}
      {result.outcome === 'blocked' && (
        <Alert
          status="danger"
          icon
          title={t('promote.result.blocked')}
          description={result.message}
        />
      )}
    </Flex>
  );
}
