import type { GateResult } from './promotion';
import type { HealthStatus, Lag, SourceError, SyncStatus } from './state';
import type { TrackedPromotion } from './tracking';

/**
 * The overview API: every annotated service the user may read, one row each, served from memory
 * by `GET /api/gitops/v1/overview` (paginated).
 */

/** One environment of a service on the overview. @public */
export interface OverviewEnvironment {
  name: string;
  /** The version every cluster runs, when they agree. */
  version?: string;
  /** Distinct live versions across the environment's clusters. */
  versions: string[];
  lag?: Lag;
  health: HealthStatus;
  sync: SyncStatus;
  /** Drifted resources across the environment's clusters (out of sync, to prune, missing). */
  driftedResources: number;
  /** ISO time the environment's oldest ongoing drift was first seen; absent when not drifted. */
  driftedSince?: string;
  /** Clusters of the environment run different versions. */
  skew: boolean;
  /** A cluster is Degraded or its last sync failed. */
  failing: boolean;
  /** Clusters whose source could not be read (their state is unknown, see the row's errors). */
  unknownClusters: number;
  /** The newest promotion into this environment that is open, syncing, or finished recently. */
  promotion?: TrackedPromotion;
}

/**
 * A promotion the service is ready for: the source environment is Synced and Healthy at a version
 * the target does not run. `gates` were evaluated when the row was built.
 *
 * @public
 */
export interface ReadyPromotion {
  from: string;
  to: string;
  version: string;
  gates: GateResult[];
  /** Every gate passed. */
  passed: boolean;
}

/** One service on the overview. @public */
export interface OverviewRow {
  entityRef: string;
  title?: string;
  /** Owner entity ref, e.g. `group:default/payments`. */
  owner?: string;
  /** System entity ref, e.g. `system:default/storefront`. */
  system?: string;
  /** In the page's environment order; an environment the service has no Application in is absent. */
  environments: OverviewEnvironment[];
  ready: ReadyPromotion[];
  /** Whether the user may promote the service (`gitops.entity.promote`). */
  canPromote: boolean;
  /** Sources that failed for this service (never hidden as an empty row). */
  errors: SourceError[];
  /** ISO time of the newest change included. */
  updatedAt: string;
}

/** How the overview is sorted. @public */
export type OverviewSort = 'name' | 'drifted-longest' | 'lag' | 'updated';

/** Query of `GET /api/gitops/v1/overview`: filters combine with AND. @public */
export interface OverviewQuery {
  /** Only services owned by the user or one of the user's groups. */
  ownedByMe?: boolean;
  /** Owner entity refs (any of). */
  owner?: string[];
  /** System entity refs (any of). */
  system?: string[];
  /** Only this environment's column counts for `drifted`, `failing` and `ready` (the target). */
  environment?: string;
  ready?: boolean;
  drifted?: boolean;
  failing?: boolean;
  /** Case-insensitive search in the entity name, title, owner and system. */
  q?: string;
  sort?: OverviewSort;
  /** Opaque, from the previous page's `nextCursor`. */
  cursor?: string;
  /** Rows per page (default 50, at most 500). */
  limit?: number;
}

/** Response of `GET /api/gitops/v1/overview`. @public */
export interface OverviewPage {
  items: OverviewRow[];
  /** Rows matching the filters, over all pages. */
  totalItems: number;
  /** Absent on the last page. */
  nextCursor?: string;
  /** The columns: configured environments, in order. */
  environments: Array<{ name: string; title: string }>;
  /** Sources failing for every row (e.g. an unreachable instance), reported once. */
  errors: SourceError[];
  /** ISO time of the newest change included. */
  updatedAt: string;
}
