import {
  PromotionPullRequest,
  PromotionRecord,
  PromotionStage,
  TrackedPromotion,
} from '@backstage-gitops/plugin-gitops-common';

/**
 * The tracked promotion of one pull request of an attempt, from what the audit records: open
 * while the pull request is, syncing once merged, and the recorded end of its delivery.
 * `undefined` for a pull request closed with no recorded delivery (nothing to follow).
 */
export function trackedPromotionOf(
  record: PromotionRecord,
  pull: PromotionPullRequest,
): TrackedPromotion | undefined {
  const delivery = record.delivery ?? {};
  let stage: PromotionStage;
  if (delivery.outcome) stage = delivery.outcome;
  else if (pull.state === 'open') stage = 'open';
  else if (pull.state === 'merged') stage = 'syncing';
  else return undefined;
  const promotion: TrackedPromotion = {
    id: record.id,
    entityRef: record.entityRef,
    from: record.from,
    to: record.to,
    version: record.version!,
    wave: pull.wave + 1,
    pullRequest: { url: pull.url, number: pull.number, branch: pull.branch },
    stage,
    openedAt: record.createdAt,
    mergedAt: delivery.mergedAt,
    deployedAt: delivery.deployedAt,
    failedAt: delivery.failedAt,
    failure: delivery.failure,
    targets: (pull.clusters ?? record.targets).map(cluster => ({
      cluster,
      sync: 'Unknown',
      health: 'Unknown',
      done: false,
    })),
  };
  promotion.leadTimes = leadTimes(promotion);
  return promotion;
}

/** Opened to merged and merged to deployed, once known. */
export function leadTimes(
  promotion: TrackedPromotion,
): TrackedPromotion['leadTimes'] {
  const opened = Date.parse(promotion.openedAt);
  const merged = promotion.mergedAt ? Date.parse(promotion.mergedAt) : NaN;
  const deployed = promotion.deployedAt
    ? Date.parse(promotion.deployedAt)
    : NaN;
  if (Number.isNaN(merged)) return undefined;
  return {
    openedToMergedMs: merged - opened,
    mergedToDeployedMs: Number.isNaN(deployed) ? undefined : deployed - merged,
  };
}
