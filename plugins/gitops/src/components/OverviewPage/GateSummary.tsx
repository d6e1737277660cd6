import { StatusError, StatusOK } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Flex, Text } from '@backstage/ui';
import { GateResult } from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';

/** The gates evaluated for a ready row, one line each: passed or failed, with the message. */
export function GateSummary(props: { gates: GateResult[] }) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  return (
    <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {props.gates.map(gate => (
        <li key={gate.gate}>
          <Flex align="center" gap="1">
            {gate.passed ? <StatusOK /> : <StatusError />}
            <Text variant="body-small">
              {gate.passed ? t('promote.gatePassed') : t('promote.gateFailed')}:{' '}
              {gate.gate}: {gate.message}
            </Text>
          </Flex>
        </li>
      ))}
    </ul>
  );
}
