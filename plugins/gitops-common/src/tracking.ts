import type { HealthStatus, SourceError, SyncStatus } from './state';

/**
 * Promotions tracked to deployed: what became of a promotion's pull request after it was opened.
 * Shown in the tab's environment header and on the overview page.
 */

/**
 * Where an opened promotion stands:
 * `open` (the pull request waits for review), `syncing` (merged, not every target runs the
 * version Synced and Healthy yet), `deployed` (every target does), `failed` (a target turned
 * Degraded or its sync failed after the merge), `closed` (closed without merging, or superseded).
 *
 * @public
 */
export type PromotionStage =
  | 'open'
  | 'syncing'
  | 'deployed'
  | 'failed'
  | 'closed';

/** GitHub's checks on the head of an open pull request (check runs and commit statuses). @public */
export interface PullRequestChecks {
  /** `none` when no check or status is reported. */
  state: 'pending' | 'success' | 'failure' | 'none';
  total: number;
  failed: number;
  pending: number;
}

/** One target cluster of a tracked promotion. @public */
export interface TrackedTarget {
  cluster: string;
  /** The version the cluster runs now. */
  liveVersion?: string;
  sync: SyncStatus;
  health: HealthStatus;
  /** Runs the promoted version, Synced and Healthy. */
  done: boolean;
}

/** A promotion followed from its pull request to deployed. @public */
export interface TrackedPromotion {
  /** Id of the audit record that opened the pull request. */
  id: string;
  entityRef: string;
  from: string;
  to: string;
  version: string;
  /** Wave of the pull request (1-based). */
  wave: number;
  pullRequest: { url: string; number: number; branch: string };
  stage: PromotionStage;
  /** ISO times. */
  openedAt: string;
  mergedAt?: string;
  /** When the last target ran the version Synced and Healthy. */
  deployedAt?: string;
  /** When a target turned Degraded or its sync failed after the merge. */
  failedAt?: string;
  /** Why the promotion failed: which cluster, and the sync or health message. */
  failure?: string;
  /** While open: GitHub's checks on the pull request's head. */
  checks?: PullRequestChecks;
  /** While open: whether GitHub can merge it (absent while GitHub computes it). */
  mergeable?: boolean;
  /** While open: GitHub's `mergeable_state`, e.g. `clean`, `blocked`, `dirty`. */
  mergeableState?: string;
  targets: TrackedTarget[];
  /** Lead times in milliseconds: opened to merged, merged to healthy. */
  leadTimes?: { openedToMergedMs?: number; mergedToDeployedMs?: number };
  /** GitHub could not be read: the stage is the last known one. */
  error?: SourceError;
}

/**
 * What became of a promotion attempt's pull request after it was opened, as the audit records it
 * (absent while nothing is known beyond the pull request's state). ISO times.
 *
 * @public
 */
export interface PromotionDelivery {
  /** `deployed`, `failed` or `closed` once the delivery ended; absent while open or syncing. */
  outcome?: 'deployed' | 'failed' | 'closed';
  mergedAt?: string;
  deployedAt?: string;
  failedAt?: string;
  /** Why it failed: which cluster, and the sync or health message. */
  failure?: string;
}
