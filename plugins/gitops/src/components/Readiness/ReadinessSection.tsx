import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Accordion,
  AccordionPanel,
  AccordionTrigger,
  Cell,
  CellText,
  ColumnConfig,
  Flex,
  Table,
  Text,
} from '@backstage/ui';
import {
  EnvironmentReadiness,
  EnvironmentState,
  ReadinessCheck,
  ReadinessResult,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { StatusBadge, StatusTone } from '../StatusBadges';

const RESULT_TONES: Record<ReadinessResult, StatusTone> = {
  pass: 'success',
  fail: 'danger',
  unknown: 'neutral',
};

type CheckRow = ReadinessCheck & { id: string };

function ChecksTable(props: { checks: ReadinessCheck[] }) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  const columns: ColumnConfig<CheckRow>[] = [
    {
      id: 'title',
      label: t('readiness.check'),
      isRowHeader: true,
      cell: c => (
        <CellText
          title={c.title}
          description={
            c.result === 'pass'
              ? undefined
              : t('readiness.howToFix', { fix: c.howToFix })
          }
        />
      ),
    },
    {
      id: 'result',
      label: t('readiness.result'),
      cell: c => (
        <Cell>
          <StatusBadge
            label={t('readiness.result')}
            value={t(`readiness.results.${c.result}`)}
            tone={
              c.result === 'fail' && c.severity !== 'error'
                ? 'warning'
                : RESULT_TONES[c.result]
            }
          />
        </Cell>
      ),
    },
    {
      id: 'severity',
      label: t('readiness.severity'),
      cell: c => <CellText title={t(`readiness.severities.${c.severity}`)} />,
    },
    {
      id: 'reason',
      label: t('readiness.reason'),
      cell: c => <CellText title={c.reason ?? ''} />,
    },
  ];
  return (
    <Table
      columnConfig={columns}
      data={props.checks.map(c => ({ ...c }))}
      pagination={{ type: 'none' }}
    />
  );
}

/**
 * The readiness checks of each environment: failing and unknown checks first, each with what
 * was found and how to fix it. Renders nothing when the backend sends no readiness.
 */
export function ReadinessSection(props: {
  readiness?: EnvironmentReadiness[];
  environments: EnvironmentState[];
}) {
  const { readiness, environments } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  if (!readiness?.length) return null;
  const order: ReadinessResult[] = ['fail', 'unknown', 'pass'];
  return (
    <section aria-labelledby="gitops-readiness-title">
      <Flex direction="column" gap="2">
        <Text as="h2" variant="title-small" id="gitops-readiness-title">
          {t('readiness.title')}
        </Text>
        <Text as="p" variant="body-small" color="secondary">
          {t('readiness.description')}
        </Text>
        {readiness.map(env => {
          const title =
            environments.find(e => e.name === env.environment)?.title ??
            env.environment;
          const checks = [...env.checks].sort(
            (a, b) => order.indexOf(a.result) - order.indexOf(b.result),
          );
          return (
            <Accordion
              key={env.environment}
              defaultExpanded={env.counts.fail > 0}
            >
              <AccordionTrigger
                level={3}
                title={title}
                subtitle={
                  env.reason ??
                  t('readiness.summary', {
                    fail: String(env.counts.fail),
                    unknown: String(env.counts.unknown),
                    pass: String(env.counts.pass),
                  })
                }
              />
              <AccordionPanel>
                {checks.length > 0 && <ChecksTable checks={checks} />}
              </AccordionPanel>
            </Accordion>
          );
        })}
      </Flex>
    </section>
  );
}
