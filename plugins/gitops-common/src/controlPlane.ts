import type { SourceError } from './state';

/**
 * Control-plane health for platform teams: per Argo CD instance and cluster, served by
 * `GET /api/gitops/v1/control-plane`.
 */

/** An Application named in a control-plane list. @public */
export interface ControlPlaneApplication {
  instance: string;
  namespace: string;
  name: string;
  cluster?: string;
  /** Link to the Application in the Argo CD UI. */
  url?: string;
  /** ISO time the condition (OutOfSync, Degraded) was first seen. */
  since?: string;
  message?: string;
}

/** A reason sync operations failed, with how often in the window. @public */
export interface SyncFailureReason {
  message: string;
  count: number;
}

/** Health of one cluster as an instance reports it. @public */
export interface ControlPlaneCluster {
  name: string;
  environment?: string;
  applications: number;
  outOfSync: number;
  degraded: number;
  syncFailures24h: number;
}

/** Health of one Argo CD instance. @public */
export interface ControlPlaneInstance {
  name: string;
  /** The instance's `type`, e.g. `argocd` or `kubernetes`. */
  type: string;
  state: 'starting' | 'ok' | 'error';
  errors: SourceError[];
  /** ISO time of the last list or event received. */
  lastEventAt?: string;
  /** Link to the Argo CD UI. */
  url?: string;
  applications: number;
  clusters: ControlPlaneCluster[];
  /** Sync operations that failed in the last 24 hours, and their top reasons. */
  syncFailures24h: number;
  topSyncFailureReasons: SyncFailureReason[];
  /** Applications OutOfSync longer than `outOfSyncThresholdMinutes` (bounded list). */
  outOfSyncLong: ControlPlaneApplication[];
  /** Degraded Applications (bounded list). */
  degraded: ControlPlaneApplication[];
}

/** Response of `GET /api/gitops/v1/control-plane`. @public */
export interface ControlPlaneHealth {
  instances: ControlPlaneInstance[];
  /** The threshold used for `outOfSyncLong`. */
  outOfSyncThresholdMinutes: number;
  /** ISO time the backend started watching: conditions older than that read as since then. */
  watchingSince: string;
  updatedAt: string;
}
