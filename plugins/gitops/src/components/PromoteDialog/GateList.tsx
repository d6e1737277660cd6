import { StatusError, StatusOK } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, Text } from '@backstage/ui';
import { GateResult } from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';

/** The gates of a plan, each passed or failed with its message. */
export function GateList(props: { gates: GateResult[] }) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  return (
    <section aria-label={t('promote.gates')}>
      <Text as="h3" variant="body-medium" weight="bold">
        {t('promote.gates')}
      </Text>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {props.gates.map(gate => (
          <li key={gate.gate}>
            <Flex align="center" gap="1">
              {gate.passed ? <StatusOK /> : <StatusError />}
              <Text
                variant="body-small"
                weight="bold"
                color={gate.passed ? 'success' : 'danger'}
              >
                {gate.passed
                  ? t('promote.gatePassed')
                  : t('promote.gateFailed')}
              </Text>
              <Text variant="body-small">
                {gate.gate}: {gate.message}
              </Text>
            </Flex>
          </li>
        ))}
      </ul>
    </section>
  );
}
