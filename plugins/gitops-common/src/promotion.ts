import type { PromotionDelivery } from './tracking';
import type {
  HealthStatus,
  SourceError,
  SyncStatus,
  VersionLocator,
} from './state';

/**
 * The promotion API: `POST /api/gitops/v1/promotions`, `GET /api/gitops/v1/promotions?entityRef=`.
 */

/** Input of a promotion, from any front door (tab, scaffolder, MCP). @public */
export interface PromotionRequest {
  entityRef: string;
  /** Source environment, e.g. `staging`. */
  from: string;
  /** Target environment, e.g. `prod`. */
  to: string;
  /** Defaults to the version the source runs; an earlier one from history is a rollback. */
  version?: string;
  /** Target clusters; defaults to every cluster of the target environment. */
  targets?: string[];
  dryRun?: boolean;
  /**
   * Blob shas of a dry run's edits by path (`PlannedEdit.blobSha`): the promotion is refused with
   * a 409 when a file changed since that plan.
   */
  expectedBlobShas?: Record<string, string>;
}

/** Names of the checks made before anything is written. @public */
export type GateName =
  | 'permission'
  | 'source-synced-healthy'
  | 'freeze-window'
  | 'version-valid'
  | 'version-in-history';

/** Outcome of one gate. @public */
export interface GateResult {
  gate: GateName;
  passed: boolean;
  message: string;
}

/** The exact edit of one file. @public */
export interface PlannedEdit {
  repoUrl: string;
  baseBranch: string;
  path: string;
  /** Blob sha the edit was planned against; the write is refused when the file changed. */
  blobSha: string;
  clusters: string[];
  fromVersion?: string;
  toVersion: string;
  /** Unified diff of the change. */
  diff: string;
  /** Commit of the base branch the edit was planned on. */
  baseCommitSha?: string;
  /** Tree of that commit. */
  baseTreeSha?: string;
  /** Where the version sits in the file. */
  locator?: VersionLocator;
  /** Path of the version field in the file, e.g. `image.tag`. */
  field?: string;
  /** 1-based line of the version field. */
  line?: number;
}

/** One wave: clusters promoted together by one pull request. @public */
export interface PlannedWave {
  index: number;
  clusters: string[];
  edits: PlannedEdit[];
  branch: string;
}

/** Everything decided before writing. @public */
export interface PromotionPlan {
  entityRef: string;
  from: string;
  to: string;
  version: string;
  targets: string[];
  gates: GateResult[];
  waves: PlannedWave[];
  /** Target already runs (desires) the version: nothing to write. */
  noop: boolean;
  /** The version is an earlier one from the history, not what the source runs. */
  rollback?: boolean;
  /** What the source environment ran when the plan was made. */
  source?: PromotionSourceSnapshot;
  /** The entity's owner, e.g. `group:default/payments`. */
  owner?: string;
  /** Who asked for the promotion, e.g. `user:default/jane`. */
  actor?: string;
  /** Link to the entity's GitOps tab. */
  entityUrl?: string;
  /** Notes on how the plan was shaped, e.g. waves merged because they share a file. */
  notes?: string[];
  /** ISO time the plan was made. */
  createdAt?: string;
}

/** The source environment at planning time, recorded in the pull request. @public */
export interface PromotionSourceSnapshot {
  environment: string;
  /** The version the source runs, when its clusters agree. */
  version?: string;
  /** Image digest of the promoted version, when known. */
  digest?: string;
  clusters: Array<{
    cluster: string;
    sync: SyncStatus;
    health: HealthStatus;
    liveVersion?: string;
  }>;
}

/** A pull request a promotion opened or updated. @public */
export interface PromotionPullRequest {
  wave: number;
  /** The clusters the pull request's wave sets (absent in records of earlier versions). */
  clusters?: string[];
  url: string;
  number: number;
  branch: string;
  state: 'open' | 'closed' | 'merged';
  action: 'opened' | 'updated' | 'unchanged';
}

/** An older open pull request this promotion superseded. @public */
export interface SupersededPullRequest {
  url: string;
  number: number;
  action: 'updated' | 'closed';
}

/** Final status of a promotion attempt. @public */
export type PromotionOutcome =
  | 'dry-run'
  | 'opened'
  | 'updated'
  | 'noop'
  | 'blocked'
  | 'failed';

/** What a promotion did. @public */
export interface PromotionResult {
  id: string;
  outcome: PromotionOutcome;
  message: string;
  plan?: PromotionPlan;
  pullRequests: PromotionPullRequest[];
  superseded: SupersededPullRequest[];
  /** Waves left for later promotions: re-run the promotion once the opened wave is merged. */
  remainingWaves?: Array<{ index: number; clusters: string[] }>;
}

/** An audit row: every attempt, whatever its outcome. @public */
export interface PromotionRecord {
  id: string;
  entityRef: string;
  actor: string;
  from: string;
  to: string;
  version?: string;
  targets: string[];
  gates: GateResult[];
  pullRequests: PromotionPullRequest[];
  outcome: PromotionOutcome;
  message: string;
  createdAt: string;
  dryRun?: boolean;
  rollback?: boolean;
  /** Merge, deploy and outcome of its pull request, as tracked after it was opened. */
  delivery?: PromotionDelivery;
}

/**
 * Response of `GET /api/gitops/v1/promotions?entityRef=`: the entity's promotion attempts, newest
 * first, with their pull request states refreshed from GitHub; refreshes that failed are in
 * `errors` (the rows then keep their last known state).
 *
 * @public
 */
export interface PromotionList {
  items: PromotionRecord[];
  errors: SourceError[];
}
