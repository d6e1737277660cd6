import { ReactElement } from 'react';
import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Badge, VisuallyHidden } from '@backstage/ui';
import {
  HealthStatus,
  SyncStatus,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';

/** Tone of a status, used for colors; the status text always accompanies it. */
export type StatusTone = 'success' | 'info' | 'warning' | 'danger' | 'neutral';

export function healthTone(health: HealthStatus): StatusTone {
  switch (health) {
    case 'Healthy':
      return 'success';
    case 'Progressing':
      return 'info';
    case 'Suspended':
      return 'warning';
    case 'Degraded':
    case 'Missing':
      return 'danger';
    default:
      return 'neutral';
  }
}

export function syncTone(sync: SyncStatus): StatusTone {
  switch (sync) {
    case 'Synced':
      return 'success';
    case 'OutOfSync':
      return 'warning';
    default:
      return 'neutral';
  }
}

const toneIcons: Record<StatusTone, () => ReactElement> = {
  success: () => <StatusOK />,
  info: () => <StatusRunning />,
  warning: () => <StatusWarning />,
  danger: () => <StatusError />,
  neutral: () => <StatusPending />,
};

const toneBorders: Record<StatusTone, string> = {
  success: 'var(--bui-positive-border)',
  info: 'var(--bui-announcement-border)',
  warning: 'var(--bui-warning-border)',
  danger: 'var(--bui-negative-border)',
  neutral: 'var(--bui-border-2)',
};

/** Border color of a tone, from the Backstage UI design tokens. */
export function toneBorderColor(tone: StatusTone): string {
  return toneBorders[tone];
}

/** A status as an icon and its text, colored by tone. */
export function StatusBadge(props: {
  label: string;
  value: string;
  tone: StatusTone;
}) {
  const { label, value, tone } = props;
  return (
    <Badge icon={toneIcons[tone]()} size="small" data-tone={tone}>
      <VisuallyHidden>{label} </VisuallyHidden>
      <span>{value}</span>
    </Badge>
  );
}

/** Argo CD sync status, as an icon and its name. */
export function SyncBadge(props: { sync: SyncStatus }) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  return (
    <StatusBadge
      label={t('status.syncLabel')}
      value={props.sync}
      tone={syncTone(props.sync)}
    />
  );
}

/** Argo CD health status, as an icon and its name. */
export function HealthBadge(props: { health: HealthStatus }) {
  const { t } = useTranslationRef(gitopsTranslationRef);
  return (
    <StatusBadge
      label={t('status.healthLabel')}
      value={props.health}
      tone={healthTone(props.health)}
    />
  );
}
