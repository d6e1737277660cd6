import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi, useTranslationRef } from '@backstage/frontend-plugin-api';
import { OptionSection, Option } from '@backstage/ui';
import {
  EnvironmentHistory,
  EnvironmentState,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsApiRef } from '../../api';
import { gitopsTranslationRef } from '../../translation';
import { formatRelativeTime } from '../RelativeTime';

export interface VersionChoices {
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
export function useVersionChoices(
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
