import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Alert,
  Button,
  Dialog,
  DialogBody,
  DialogFooter,
  DialogHeader,
  Flex,
  Select,
  Skeleton,
  Text,
} from '@backstage/ui';
import {
  EnvironmentState,
  PromotionResult,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import { gitopsTranslationRef } from '../../translation';
import { errorMessage } from '../errorMessage';
import { PlanView } from './PlanView';
import { PromotionProgress } from './PromotionProgress';
import { usePromotionRun } from './usePromotionRun';
import { useVersionChoices } from './useVersionChoices';

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
          <PromotionProgress run={run} />
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
              <PlanView result={previewResult} from={from} to={to} />
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
