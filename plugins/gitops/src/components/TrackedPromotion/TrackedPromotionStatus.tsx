import {
  TranslationFunction,
  useTranslationRef,
} from '@backstage/frontend-plugin-api';
import { Flex, Link, Text } from '@backstage/ui';
import {
  PromotionStage,
  TrackedPromotion,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsTranslationRef } from '../../translation';
import { RelativeTime } from '../RelativeTime';
import { StatusBadge, StatusTone } from '../StatusBadges';

const stageTones: Record<PromotionStage, StatusTone> = {
  open: 'info',
  syncing: 'info',
  deployed: 'success',
  failed: 'danger',
  closed: 'neutral',
};

/** `3 min`, `2 h 5 min`, `45 s`: a lead time. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/**
 * Where a promotion stands after its pull request was opened: open (with GitHub's checks and
 * mergeable state), merged and syncing, deployed (with lead times) or failed after the merge.
 * `compact` keeps it to one line, for table cells.
 */
export function TrackedPromotionStatus(props: {
  promotion: TrackedPromotion;
  compact?: boolean;
}) {
  const { promotion, compact } = props;
  const { t } = useTranslationRef(gitopsTranslationRef);
  const { pullRequest, stage } = promotion;
  const badge = (
    <StatusBadge
      label={t('tracking.label')}
      value={t(`tracking.stage.${stage}`)}
      tone={stageTones[stage]}
    />
  );
  const link = (
    <Link href={pullRequest.url} target="_blank" rel="noopener">
      {t('tracking.pullRequest', {
        number: String(pullRequest.number),
        version: promotion.version,
      })}
    </Link>
  );
  if (compact) {
    return (
      <Flex
        align="center"
        gap="1"
        data-testid="tracked-promotion"
        data-stage={stage}
      >
        {badge}
        {link}
      </Flex>
    );
  }
  const done = promotion.targets.filter(target => target.done).length;
  return (
    <Flex
      direction="column"
      gap="1"
      data-testid="tracked-promotion"
      data-stage={stage}
    >
      <Flex align="center" gap="2" style={{ flexWrap: 'wrap' }}>
        {badge}
        {link}
        <Text variant="body-small" color="secondary">
          {t('tracking.wave', { wave: String(promotion.wave) })}{' '}
          <RelativeTime value={promotion.openedAt} />
        </Text>
      </Flex>
      <Text variant="body-small">{details(promotion, done, t)}</Text>
      {promotion.error && (
        <Text variant="body-small" color="secondary">
          {t('tracking.readError', { message: promotion.error.message })}
        </Text>
      )}
    </Flex>
  );
}

function details(
  promotion: TrackedPromotion,
  done: number,
  t: TranslationFunction<typeof gitopsTranslationRef.T>,
): string {
  switch (promotion.stage) {
    case 'open': {
      const { checks } = promotion;
      const checksText = checks
        ? t(`tracking.checks.${checks.state}`, {
            total: String(checks.total),
            failed: String(checks.failed),
            pending: String(checks.pending),
          })
        : t('tracking.checks.unknown');
      const mergeable =
        promotion.mergeable === undefined
          ? t('tracking.mergeable.unknown')
          : t(
              promotion.mergeable
                ? 'tracking.mergeable.yes'
                : 'tracking.mergeable.no',
              { state: promotion.mergeableState ?? '' },
            );
      return `${checksText} · ${mergeable}`;
    }
    case 'syncing':
      return t('tracking.syncing', {
        done: String(done),
        total: String(promotion.targets.length),
        version: promotion.version,
      });
    case 'deployed': {
      const lead = promotion.leadTimes ?? {};
      return t('tracking.deployed', {
        merged:
          lead.openedToMergedMs === undefined
            ? '?'
            : formatDuration(lead.openedToMergedMs),
        healthy:
          lead.mergedToDeployedMs === undefined
            ? '?'
            : formatDuration(lead.mergedToDeployedMs),
      });
    }
    case 'failed':
      return t('tracking.failed', {
        reason: promotion.failure ?? t('tracking.noReason'),
      });
    default:
      return t('tracking.closed');
  }
}
