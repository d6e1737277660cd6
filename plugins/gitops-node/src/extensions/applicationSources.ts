import type {
  Drift,
  HealthStatus,
  OperationSummary,
  SourceError,
  SyncStatus,
} from '@backstage-gitops/plugin-gitops-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';

/** One source of an Application, as much as the state needs of it. @public */
export interface SlimSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  chart?: string;
  /** `ref` of a multi-source Application's values source. */
  ref?: string;
  valueFiles?: string[];
  /** `helm.ignoreMissingValueFiles`: a value file that does not exist is skipped. */
  ignoreMissingValueFiles?: boolean;
  /** `helm.parameters`, which override every values source. */
  helmParameters?: Array<{
    name: string;
    value: string;
    forceString?: boolean;
  }>;
  /**
   * `helm.fileParameters`: a value read from a file of the repository (Helm's `--set-file`),
   * which overrides `helm.parameters`.
   */
  helmFileParameters?: Array<{ name: string; path: string }>;
  /**
   * `helm.valuesObject`, else `helm.values` parsed: the inline values, which override the value
   * files. Kept only when small.
   */
  helmValues?: Record<string, unknown>;
  /** `helm.parameters` or the inline values were too large to keep, so what they set is unknown. */
  helmOverridesOmitted?: boolean;
  /** `directory.recurse`: the manifests of subdirectories are applied too. */
  directoryRecurse?: boolean;
  /** `spec.source.kustomize.images` overrides. */
  kustomizeImages?: string[];
  /**
   * How Argo CD renders the source (`status.sourceType(s)`): `Helm`, `Kustomize`, `Directory`
   * (plain manifests or Jsonnet) or `Plugin`.
   */
  sourceType?: string;
  /** Revision Argo CD last compared this source at (`status.sync.revision(s)`). */
  revision?: string;
}

/**
 * The slim projection of an Argo CD Application kept in memory: no managedFields, no history,
 * no full resource tree. Shaped like a Kubernetes object (`metadata.name`, `.namespace`,
 * `.resourceVersion`) so the client-node informer cache can hold it directly.
 *
 * @public
 */
export interface SlimApplication {
  metadata: {
    name: string;
    namespace: string;
    resourceVersion?: string;
    labels: Record<string, string>;
  };
  project?: string;
  destination: { name?: string; server?: string };
  sources: SlimSource[];
  sync: SyncStatus;
  health: HealthStatus;
  /** `status.summary.images`, whole: the service's image is chosen from it when read. */
  images: string[];
  /** `status.operationState.phase`, for sources that read no more of the operation than that. */
  operationPhase?: string;
  /** `status.operationState`: phase, message and what failed. */
  operation?: OperationSummary;
  /** The ApplicationSet that generated the Application (its `ownerReferences`). */
  applicationSet?: string;
  /**
   * Instance name of the Application that tracks this one (its app-of-apps parent), from Argo
   * CD's tracking annotation or instance label; `<namespace>_<name>` for apps in any namespace.
   */
  trackedBy?: string;
  /** `status.operationState.finishedAt` of the last sync. */
  lastSyncedAt?: string;
  drift: Drift;
  /** Id of the newest `status.history` entry, to invalidate cached history. */
  historyId?: number;
  /**
   * `spec.syncPolicy.automated`: which of `prune` and `selfHeal` it sets (a list, to keep the
   * projection small); absent when the Application syncs by hand.
   */
  automatedSync?: Array<'prune' | 'selfHeal'>;
  /** `spec.ignoreDifferences`, bounded: the resources and fields Argo CD does not compare. */
  ignoreDifferences?: IgnoredDifference[];
  /** Paths and managers of `spec.ignoreDifferences` left out of the bounded list above. */
  ignoreDifferencesOmitted?: number;
}

/** One entry of `spec.ignoreDifferences`, as much as readiness needs of it. @public */
export interface IgnoredDifference {
  group?: string;
  kind: string;
  name?: string;
  /** `jsonPointers` and `jqPathExpressions`, as written. */
  paths: string[];
  /** `managedFieldsManagers`: every field these managers own is ignored. */
  managers?: string[];
}

/** Health of one source. @public */
export interface SourceStatus {
  instance: string;
  /** The instance's `type`, e.g. `kubernetes` or `argocd`. */
  type: string;
  state: 'starting' | 'ok' | 'error';
  /** The first of {@link SourceStatus.errors}. */
  error?: SourceError;
  /** One error per failing scope (namespace, when the source watches several). */
  errors: SourceError[];
  /** ISO time of the last list or event received. */
  lastActivityAt?: string;
  restarts: number;
}

/** An instance feeding the store with its Applications. @public */
export interface ApplicationSource {
  /** Name of the instance it reads. */
  readonly instance: string;
  /** Lists the instance's Applications into the store, then keeps them current. */
  start(): Promise<void>;
  /** Stops reading; the backend is shutting down. */
  stop(): Promise<void>;
  /** Whether it is reading, and what failed. */
  status(): SourceStatus;
  /** Reads one full Application (for history), bounded by the source's timeout. */
  getApplication(namespace: string, name: string): Promise<unknown>;
  /**
   * The manifests the instance renders for an Application at a revision (Argo CD's
   * `GET /api/v1/applications/{name}/manifests`), one JSON or YAML object per string; for sources
   * of instances with an API (Jsonnet and config management plugin sources are only known so).
   */
  getManifests?(
    namespace: string,
    name: string,
    revision?: string,
  ): Promise<string[]>;
  /** Uses a replaced instance token from now on, without a restart (sources that can). */
  setToken?(token: string): void;
  /** Signs in with a replaced username and password from now on (sources that can). */
  setCredentials?(credentials: { username: string; password: string }): void;
}

/** An Application a source could not project, kept so entities it would match report it. @public */
export interface MalformedApplication {
  message: string;
  appNamespace?: string;
  appName?: string;
  labels: Record<string, string>;
}

/** Where a source puts the Applications it reads; every method names the source's instance. @public */
export interface ApplicationSink {
  /** Adds or updates one Application. */
  upsert(instance: string, app: SlimApplication): void;
  /** Removes one Application. */
  remove(instance: string, namespace: string, name: string): void;
  /**
   * Replaces the instance's Applications (in one namespace when given) after a full list: adds
   * and updates what is listed, removes what is no longer there.
   */
  replaceAll(
    instance: string,
    apps: SlimApplication[],
    namespace?: string,
  ): void;
  /** Reports an Application that could not be projected (and removes it). */
  markMalformed(instance: string, error: MalformedApplication): void;
  /** Forgets the malformed Applications of the instance (in one namespace when given). */
  clearMalformed(instance: string, namespace?: string): void;
}

/** One entry of `gitops.instances`. @public */
export interface GitopsInstance {
  /** `name` of the entry, as `argocd/instance-name` annotations refer to it. */
  name: string;
  /** Which {@link ApplicationSourceFactory} reads it. */
  type: string;
  /** Where it is configured, e.g. `gitops.instances[1]`, for messages. */
  configKey: string;
  /** The entry itself, for the keys of its type. */
  config: Config;
}

/** What a source is created with. @public */
export interface ApplicationSourceContext {
  /** The instance to read. */
  instance: GitopsInstance;
  /** Where its Applications go. */
  store: ApplicationSink;
  /** A logger naming the instance. */
  logger: LoggerService;
  /** Tell when {@link ApplicationSource.status} changed, so the state is published again. */
  onStatusChange(): void;
  /** `gitops.watch`, in milliseconds. */
  watch: {
    stallTimeoutMs: number;
    pollIntervalMs: number;
    establishedMs: number;
  };
}

/**
 * Creates the sources of the instances of one `type` of `gitops.instances`. Added through
 * `gitopsApplicationSourcesExtensionPoint`.
 *
 * @public
 */
export interface ApplicationSourceFactory {
  /** The `gitops.instances[].type` it reads, e.g. `argocd`. */
  readonly type: string;
  /** The source of one instance; started by the backend once it is up. */
  create(context: ApplicationSourceContext): ApplicationSource;
}
