import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Alert,
  Box,
  Button,
  Dialog,
  DialogBody,
  DialogFooter,
  DialogHeader,
  Flex,
  Link,
  Option,
  OptionSection,
  Select,
  Skeleton,
  Text,
} from '@backstage/ui';
import {
  EnvironmentHistory,
  EnvironmentState,
  GateResult,
  PromotionResult,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import { gitopsTranslationRef } from '../../translation';
import { formatRelativeTime } from '../RelativeTime';
import { DiffView } from './DiffView';
import {
  PROMOTION_STEPS,
  PromotionRun,
  StepStatus,
  usePromotionRun,
} from './usePromotionRun';
import { errorMessage } from '../errorMessage';

const stepIcons: Record<StepStatus, () => JSX.Element> = {
  pending: () => <StatusPending />,
  active: () => <StatusRunning />,
  done: () => <StatusOK />,
  failed: () => <StatusError />,
};

interface VersionChoices {
  /** The choices, grouped: what the source runs, rollbacks of the target, earlier source versions. */
  sections: OptionSection[];
  /** Histories that could not be read, so their versions are missing from the choices. */
  unavailable: Array<{ environment: EnvironmentState; error: Error }>;
}

/** Distinct versions of a history, newest first, with when each was first seen there. */
function historyVersions(
  history: EnvironmentHistory | undefined,
): Array<{ version: string; deployedAt?: string }> {
  const versions = new Map<string, string | undefined>();
  for (const entry of history?.entries ?? []) {
    if (entry.version && !versions.has(entry.version)) {
      versions.set(entry.version, entry.deployedAt);
    }
  }
  return [...versions].map(([version, deployedAt]) => ({
    version,
    deployedAt,
  }));
}

/**
 * The versions the dialog offers: what the source runs (a promotion), the earlier versions the
 * target ran (a rollback of the target, through the same path; the engine's history gate accepts
 * them), and earlier versions of the source.
 */
function useVersionChoices(
  entityRef: string,
  from: EnvironmentState,
  to: EnvironmentState,
): VersionChoices {
  const api = useApi(gitopsApiRef);
  const { t } = useTranslationRef(gitopsTranslationRef);
  const sourceHistory = useAsync(
    () => api.getHistory(entityRef, from.name),
    [api, entityRef, from.name],
  );
  const targetHistory = useAsync(
    () => api.getHistory(entityRef, to.name),
    [api, entityRef, to.name],
  );
  return useMemo(() => {
    const seen = new Set(from.versions);
    const running: Option[] = from.versions.map(version => ({
      id: version,
      label: t('promote.versionRunning', { version, environment: from.title }),
    }));
    const fromHistory = (
      history: EnvironmentHistory | undefined,
      label: (version: string, time?: string) => string,
    ): Option[] => {
      const options: Option[] = [];
      for (const { version, deployedAt } of historyVersions(history)) {
        // what every cluster of the target runs now is no choice: promoting it changes nothing
        if (seen.has(version) || version === to.version) continue;
        seen.add(version);
        options.push({
          id: version,
          label: label(version, deployedAt && formatRelativeTime(deployedAt)),
        });
      }
      return options;
    };
    // the target's own history first: an earlier version there is a rollback
    const rollbacks = fromHistory(targetHistory.value, (version, time) =>
      time
        ? t('promote.versionRollback', {
            version,
            environment: to.title,
            time,
          })
        : t('promote.versionRollbackUndated', {
            version,
            environment: to.title,
          }),
    );
    const earlier = fromHistory(sourceHistory.value, (version, time) =>
      time ? t('promote.versionHistory', { version, time }) : version,
    );
    const sections: OptionSection[] = [
      {
        title: t('promote.sectionRunning', { environment: from.title }),
        options: running,
      },
      {
        title: t('promote.sectionRollback', { environment: to.title }),
        options: rollbacks,
      },
      {
        title: t('promote.sectionHistory', { environment: from.title }),
        options: earlier,
      },
    ].filter(section => section.options.length > 0);
    const unavailable = [
      { environment: to, error: targetHistory.error },
      { environment: from, error: sourceHistory.error },
    ].filter((u): u is { environment: EnvironmentState; error: Error } =>
      Boolean(u.error),
    );
    return { sections, unavailable };
  }, [
    from,
    to,
    sourceHistory.value,
    sourceHistory.error,
    targetHistory.value,
    targetHistory.error,
    t,
  ]);
}

function GateList(props: { gates: GateResult[] }) {
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

function Plan(props: {
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

function ResultAlert(props: { run: PromotionRun }) {
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

function Progress(props: { run: PromotionRun }) {
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

/**
 * Promote a version from one environment to the next: choose the version, review gates and the
 * diff of a dry run, confirm, and follow the steps until the pull request link.
 */
export function PromoteDialog(props: {
  entityRef: string;
  from: EnvironmentState;
  to: EnvironmentState;
  onClose: () => void;
}) {
  const { entityRef, from, to, onClose } = props;
  const api = useApi(gitopsApiRef);
  const { t } = useTranslationRef(gitopsTranslationRef);
  const choices = useVersionChoices(entityRef, from, to);
  const [version, setVersion] = useState<string | undefined>(
    from.version ?? from.versions[0],
  );
  const { run, start } = usePromotionRun();

  const preview = useAsync(
    () =>
      api.promote({
        entityRef,
        from: from.name,
        to: to.name,
        version,
        dryRun: true,
      }),
    [api, entityRef, from.name, to.name, version],
  );

  const previewResult = preview.value;
  const canConfirm =
    !preview.loading &&
    !preview.error &&
    previewResult !== undefined &&
    previewResult.outcome !== 'blocked' &&
    previewResult.outcome !== 'failed' &&
    previewResult.outcome !== 'noop' &&
    !previewResult.plan?.noop &&
    (previewResult.plan?.gates.every(gate => gate.passed) ?? true);

  const finished = run !== undefined && !run.running;

  return (
    <Dialog
      isOpen
      onOpenChange={isOpen => !isOpen && !run?.running && onClose()}
      width={720}
    >
      <DialogHeader>
        {t('promote.dialogTitle', { from: from.title, to: to.title })}
      </DialogHeader>
      <DialogBody>
        {run ? (
          <Progress run={run} />
        ) : (
          <Flex direction="column" gap="3">
            <Select
              label={t('promote.version')}
              description={t('promote.versionDescription', {
                from: from.title,
                to: to.title,
              })}
              options={choices.sections}
              selectedKey={version ?? null}
              onSelectionChange={key =>
                setVersion(key ? String(key) : undefined)
              }
            />
            {choices.unavailable.map(({ environment, error }) => (
              <Text
                key={environment.name}
                variant="body-small"
                color="secondary"
              >
                {t('promote.historyUnavailable', {
                  environment: environment.title,
                  message: errorMessage(error),
                })}
              </Text>
            ))}
            {preview.loading && <Skeleton width="100%" height={96} />}
            {preview.error && (
              <Alert
                status="danger"
                icon
                title={t('promote.result.failed')}
                description={errorMessage(preview.error)}
              />
            )}
            {previewResult && !preview.loading && (
              <Plan result={previewResult} from={from} to={to} />
            )}
          </Flex>
        )}
      </DialogBody>
      <DialogFooter>
        {finished ? (
          <Button variant="secondary" onPress={onClose}>
            {t('promote.close')}
          </Button>
        ) : (
          <>
            <Button
              variant="secondary"
              onPress={onClose}
              isDisabled={run?.running}
            >
              {t('promote.cancel')}
            </Button>
            <Button
              variant="primary"
              isDisabled={!canConfirm || run?.running}
              isPending={run?.running}
              onPress={() =>
                start({
                  entityRef,
                  from: from.name,
                  to: to.name,
                  version,
                  expectedBlobShas: previewedBlobShas(previewResult),
                })
              }
            >
              {t('promote.confirm')}
            </Button>
          </>
        )}
      </DialogFooter>
    </Dialog>
  );
}

/**
 * The files the user reviewed in the preview: confirming is refused (409) when one of them
 * changed since, instead of opening a pull request with a diff nobody saw.
 */
function previewedBlobShas(
  preview: PromotionResult | undefined,
): Record<string, string> | undefined {
  const edits = preview?.plan?.waves.flatMap(wave => wave.edits) ?? [];
  if (edits.length === 0) {
    return undefined;
  }
  return Object.fromEntries(edits.map(edit => [edit.path, edit.blobSha]));
}
