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
}

/** Names of the checks made before anything is written. @public */
export type GateName =
  | 'permission'
  | 'source-synced-healthy'
  | 'freeze-window'
  | 'version-valid';

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
}

/** A pull request a promotion opened or updated. @public */
export interface PromotionPullRequest {
  wave: number;
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
}
