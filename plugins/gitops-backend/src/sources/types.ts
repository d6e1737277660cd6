import type {
  Drift,
  HealthStatus,
  SourceError,
  SyncStatus,
} from '@backstage-gitops/plugin-gitops-common';

/** One source of an Application, as much as the state needs of it. */
export interface SlimSource {
  repoURL: string;
  path?: string;
  targetRevision?: string;
  chart?: string;
  /** `ref` of a multi-source Application's values source. */
  ref?: string;
  valueFiles?: string[];
  /** `spec.source.kustomize.images` overrides. */
  kustomizeImages?: string[];
  /** Revision Argo CD last compared this source at (`status.sync.revision(s)`). */
  revision?: string;
}

/**
 * The slim projection of an Argo CD Application kept in memory: no managedFields, no history,
 * no full resource tree. Shaped like a Kubernetes object (`metadata.name`, `.namespace`,
 * `.resourceVersion`) so the client-node informer cache can hold it directly.
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
  images: string[];
  operationPhase?: string;
  /** `status.operationState.finishedAt` of the last sync. */
  lastSyncedAt?: string;
  drift: Drift;
  /** Id of the newest `status.history` entry, to invalidate cached history. */
  historyId?: number;
}

/** Health of one source. */
export interface SourceStatus {
  instance: string;
  type: 'kubernetes' | 'argocd';
  state: 'starting' | 'ok' | 'error';
  /** The first of {@link SourceStatus.errors}. */
  error?: SourceError;
  /** One error per failing scope (namespace, when the source watches several). */
  errors: SourceError[];
  /** ISO time of the last list or event received. */
  lastActivityAt?: string;
  restarts: number;
}

/** An Argo CD instance feeding the store. */
export interface ApplicationSource {
  readonly instance: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): SourceStatus;
  /** Reads one full Application (for history), bounded by the source's timeout. */
  getApplication(namespace: string, name: string): Promise<unknown>;
  /** Uses a replaced instance token from now on, without a restart (sources that can). */
  setToken?(token: string): void;
}
