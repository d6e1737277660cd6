import type { EnvironmentReadiness } from './readiness';
import type { TrackedPromotion } from './tracking';

/**
 * The deployment state API: what runs where, per environment x cluster.
 * Served by gitops-backend at `GET /api/gitops/v1/state/:kind/:namespace/:name`.
 */

/** Argo CD sync status of one Application. @public */
export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';

/** Argo CD health status of one Application. @public */
export type HealthStatus =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown';

/** Why a source could not contribute data. @public */
export type SourceErrorKind =
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  /** The source could not sign in (e.g. an Argo CD session refused its username/password). */
  | 'auth'
  | 'forbidden'
  | 'gone'
  | 'stalled'
  | 'malformed'
  | 'git'
  | 'config'
  /** Two Applications of one entity land in the same environment x cluster cell. */
  | 'ambiguous'
  | 'unknown';

/**
 * One failing source (an instance, a cluster, or a Git read), reported beside the data the
 * other sources could give. Never hidden as an empty result.
 * @public
 */
export interface SourceError {
  /** What failed, e.g. `instance:core`, `git:acme/payments-gitops`. */
  source: string;
  instance?: string;
  cluster?: string;
  environment?: string;
  kind: SourceErrorKind;
  message: string;
  /** ISO time the source started failing. */
  since?: string;
}

/** A resource of an Application whose live state differs from Git. @public */
export interface DriftedResource {
  group?: string;
  kind: string;
  namespace?: string;
  name: string;
  /** Argo CD resource sync status (`OutOfSync`, `Synced`, `Unknown`). */
  status: string;
  health?: string;
  requiresPruning?: boolean;
}

/** What differs between Git and the live cluster for one Application. @public */
export interface Drift {
  /** Resources out of sync (excluding the expected ones below). */
  outOfSync: DriftedResource[];
  /** Resources in the cluster but no longer in Git (`requiresPruning`). */
  requiresPruning: DriftedResource[];
  /** Resources in Git but missing from the cluster. */
  missing: DriftedResource[];
  /** Messages of `ComparisonError` (and other error) conditions. */
  comparisonErrors: string[];
  /** Drift a controller is expected to cause, for example HPA-managed replicas. Shown apart. */
  expected: DriftedResource[];
  /** Drifted resources left out of the lists above to bound the size of the state. */
  omitted?: number;
  /**
   * Exact number of resources per category, whatever the lists above kept. Absent in drift
   * computed before it was added; then the list lengths plus `omitted` are all that is known.
   */
  counts?: DriftCounts;
  /** Messages of warning conditions, e.g. `OrphanedResourceWarning`; not counted as drift. */
  warnings?: string[];
}

/** Exact number of drifted resources per category of {@link Drift}. @public */
export interface DriftCounts {
  outOfSync: number;
  requiresPruning: number;
  missing: number;
  expected: number;
}

/** A resource or hook that failed in the last sync operation. @public */
export interface FailedSyncResource {
  kind: string;
  name: string;
  namespace?: string;
  /** Hook type (`PreSync`, `Sync`, `PostSync`, `SyncFail`) when the failure was a hook. */
  hookType?: string;
  message?: string;
}

/** The last (or running) sync operation of an Application, `status.operationState`. @public */
export interface OperationSummary {
  /** `Running`, `Terminating`, `Succeeded`, `Failed` or `Error`. */
  phase: string;
  /** `status.operationState.message`, e.g. why the sync failed; absent once it succeeded. */
  message?: string;
  /** The resources and hooks that failed, most relevant first (bounded). */
  failed?: FailedSyncResource[];
}

/** Where a desired version is read from in Git, by the locators built into the suite. @public */
export type BuiltinVersionLocator =
  /**
   * `alsoSetIn`: another rendered source sets the key too (`repoURL/path`), so which value the
   * service runs is not one place; the promotion refuses.
   */
  | { type: 'helm-values'; key: string; alsoSetIn?: string }
  /**
   * `digest`: the image is pinned by digest, which a promotion does not write. `inApplication`:
   * the tag is set by the Application's own `kustomize.images`, which overrides the kustomization.
   */
  | {
      type: 'kustomize-image';
      image?: string;
      digest?: boolean;
      inApplication?: boolean;
    }
  | ({ type: 'chart-revision' } & ApplicationManifestRef)
  /**
   * The tag of a container image in a plain manifest of a directory source: the `image` of
   * `container` (an init container with `init`) of the workload `kind`/`workload`.
   */
  | {
      type: 'manifest-image';
      kind: string;
      workload: string;
      container: string;
      init?: boolean;
    }
  /** An item of the Application's `helm.parameters`, e.g. `image.tag`. */
  | ({ type: 'helm-parameter'; name: string } & ApplicationManifestRef)
  /**
   * A value Helm reads from a file (`helm.fileParameters` item `name`, Helm's `--set-file`): the
   * file holds only the value, and the promotion does not write it.
   */
  | { type: 'helm-file-parameter'; name: string }
  /** A key of the Application's inline values (`helm.valuesObject` or `helm.values`). */
  | ({ type: 'helm-inline-values'; key: string } & ApplicationManifestRef);

/**
 * For a version set in the Application itself: which Application document of the file (found
 * through the app-of-apps parent) holds it, or why its manifest was not found in Git.
 *
 * @public
 */
export interface ApplicationManifestRef {
  /** `metadata.name` of the Application document holding the version; absent when not found. */
  application?: string;
  /** Why the Application's manifest was not found in Git (which parent was searched). */
  manifestNotFound?: string;
}

/**
 * Where a desired version is read from in Git, by a locator a backend module added: its `type`
 * and whatever string parameters the locator needs to find the version again.
 *
 * @public
 */
export interface ModuleVersionLocator {
  /** The `type` of the locator that wrote it, e.g. `release-json`. */
  type: string;
  /** What the locator needs to find the version again, e.g. a key. */
  parameters?: Record<string, string>;
}

/** Where a desired version is read from in Git. @public */
export type VersionLocator = BuiltinVersionLocator | ModuleVersionLocator;

/** The file in a GitOps repo that holds a desired version. @public */
export interface VersionSource {
  repoUrl: string;
  /** Path inside the repo, e.g. `apps/checkout-api/envs/prod/values.yaml`. */
  path: string;
  /** Branch or tag the Application tracks (`targetRevision`). */
  ref: string;
  blobSha?: string;
  /** Web URL of the file, for links. */
  url?: string;
  locator: VersionLocator;
  /**
   * Where the version is, in words, e.g. `Helm values key image.tag in envs/prod/values.yaml`
   * (the locator's `describe()`); absent when no installed locator describes it.
   */
  description?: string;
}

/** An Argo CD Application as the tab shows it. @public */
export interface ApplicationRef {
  instance: string;
  namespace: string;
  name: string;
  project?: string;
  /** Link to the Application in the Argo CD UI. */
  url?: string;
  /** The ApplicationSet that generated the Application (its `ownerReferences`). */
  applicationSet?: string;
}

/** State of one (environment, cluster) cell. @public */
export interface ClusterState {
  cluster: string;
  environment: string;
  /** Absent when no Application of the entity lands on this cluster. */
  application?: ApplicationRef;
  sync: SyncStatus;
  health: HealthStatus;
  /** `status.summary.images`. */
  liveImages: string[];
  /** Version derived from the live images (or the chart revision). */
  liveVersion?: string;
  /** Why there is no live version (never absent when `liveVersion` is). */
  liveVersionReason?: string;
  /** What Git says this cluster should run. */
  desiredVersion?: string;
  desiredSource?: VersionSource;
  /** Why there is no desired version, when there is none (e.g. no value file sets the key). */
  desiredReason?: string;
  /** Git revision last synced. */
  revision?: string;
  revisionUrl?: string;
  /** ISO time of the last successful sync. */
  lastSyncedAt?: string;
  /** `status.operationState.phase`. */
  operationPhase?: string;
  /** The last or running sync operation, with why it failed. */
  operation?: OperationSummary;
  drift: Drift;
  /** desired != live in this cell. */
  skew: boolean;
  /** This cell's source failed; the other cells are unaffected. */
  error?: SourceError;
}

/** How far an environment is behind the previous one. @public */
export interface Lag {
  previousEnvironment: string;
  previousVersion?: string;
  /** True when this environment runs an older version than the previous one. */
  behind: boolean;
  /** Number of distinct versions between, when the history tells. */
  versionsBehind?: number;
}

/** State of one environment: its clusters in configured order. @public */
export interface EnvironmentState {
  name: string;
  title: string;
  clusters: ClusterState[];
  /** The version all clusters run, when they agree. */
  version?: string;
  /** Distinct live versions across clusters. */
  versions: string[];
  /** Clusters of this environment run different versions. */
  skew: boolean;
  health: HealthStatus;
  sync: SyncStatus;
  /** Absent for the first environment. */
  lag?: Lag;
  /** The environment a promotion from here targets, when there is one. */
  next?: string;
  /** The newest promotion into this environment that is open, syncing, or finished recently. */
  promotion?: TrackedPromotion;
}

/** Response of the state API. @public */
export interface EntityGitopsState {
  entityRef: string;
  /** `not-configured`: the entity has no GitOps annotation (200, not an error). */
  status: 'ok' | 'not-configured';
  environments: EnvironmentState[];
  errors: SourceError[];
  /** ISO time of the newest change included. */
  updatedAt: string;
  /**
   * Why no promotion can be made through this backend (e.g. the permission framework is
   * disabled); the tab shows it instead of the promote buttons. Absent when promotions may be made.
   */
  promotionUnavailable?: string;
  /**
   * Readiness checks per environment, in environment order: filled by the MCP action; the tab
   * reads them from the readiness route (`EntityReadiness`). Absent when readiness is off.
   */
  readiness?: EnvironmentReadiness[];
}

/** One deployment in an environment's history. @public */
export interface HistoryEntry {
  cluster: string;
  application: ApplicationRef;
  id: number;
  deployedAt?: string;
  revision?: string;
  revisionUrl?: string;
  version?: string;
  images: string[];
  /** Compare link between this revision and the one deployed before it. */
  compareUrl?: string;
}

/** Response of the history API. @public */
export interface EnvironmentHistory {
  entityRef: string;
  /** `not-configured`: the entity has no GitOps annotation (200, not an error), as in the state API. */
  status?: 'ok' | 'not-configured';
  environment: string;
  entries: HistoryEntry[];
  errors: SourceError[];
}

/** Payload of the signal sent on {@link gitopsStateChannel} when an entity's state changes. @public */
export interface GitopsStateSignal {
  entityRef: string;
  updatedAt: string;
}

/** Signals channel carrying state changes of one entity. @public */
export function gitopsStateChannel(entityRef: string): string {
  return `gitops:state:${entityRef}`;
}
