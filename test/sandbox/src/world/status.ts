import type { KubeObject } from '../kube/store';

export interface HistoryEntry {
  id: number;
  deployedAt: string;
  deployStartedAt: string;
  /** A single-source Application's revision and source. */
  revision?: string;
  source?: Record<string, unknown>;
  /** A multi-source Application's revisions and sources. */
  revisions?: string[];
  sources?: Record<string, unknown>[];
}

export interface ResourceStatus {
  group?: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: 'Synced' | 'OutOfSync';
  health?: { status: string; message?: string };
  requiresPruning?: boolean;
}

/** The Kubernetes resources a sandbox service renders to. */
export function serviceResources(
  app: KubeObject,
  status: 'Synced' | 'OutOfSync' = 'Synced',
  health = 'Healthy',
): ResourceStatus[] {
  const service =
    app.metadata.labels?.['app.kubernetes.io/name'] ?? app.metadata.name;
  const namespace = app.spec?.destination?.namespace ?? service;
  const helm = [app.spec?.source, ...(app.spec?.sources ?? [])].some(
    s => s?.helm || s?.chart,
  );
  const resources: ResourceStatus[] = [
    {
      version: 'v1',
      kind: 'ConfigMap',
      namespace,
      name: `${service}-config`,
      status,
    },
    {
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace,
      name: service,
      status,
      health: { status: health },
    },
  ];
  if (helm) {
    resources.push(
      {
        version: 'v1',
        kind: 'Service',
        namespace,
        name: service,
        status: 'Synced',
        health: { status: 'Healthy' },
      },
      {
        group: 'autoscaling',
        version: 'v2',
        kind: 'HorizontalPodAutoscaler',
        namespace,
        name: service,
        status: 'Synced',
        health: { status: 'Healthy' },
      },
    );
  }
  return resources;
}

export interface StatusInput {
  app: KubeObject;
  images: string[];
  /** The commit Argo CD compares against (HEAD of targetRevision). */
  targetRevision: string;
  /** A multi-source Application's revision per source (`status.sync.revisions`). */
  revisions?: string[];
  /** `status.sourceType` (default: Helm with `helm`, else Kustomize), per source for multi-source. */
  sourceTypes?: string[];
  /** The commit deployed by the last sync. */
  syncedRevision: string;
  history: HistoryEntry[];
  syncStatus: 'Synced' | 'OutOfSync' | 'Unknown';
  health:
    | 'Healthy'
    | 'Progressing'
    | 'Degraded'
    | 'Missing'
    | 'Suspended'
    | 'Unknown';
  reconciledAt: string;
  operation?: {
    phase: 'Running' | 'Succeeded' | 'Failed';
    startedAt: string;
    finishedAt?: string;
    message?: string;
    revision: string;
  };
  resources?: ResourceStatus[];
  conditions?: { type: string; message: string; lastTransitionTime?: string }[];
}

/** An Application `status` as Argo CD writes it. */
export function applicationStatus(input: StatusInput): Record<string, unknown> {
  const source = input.app.spec?.source;
  const sources = input.app.spec?.sources;
  const op = input.operation;
  const multi = Array.isArray(sources) && sources.length > 0;
  const synced = (revision: string) =>
    multi
      ? { revisions: input.revisions ?? [], sources }
      : { revision, source };
  const sourceTypes = input.sourceTypes ?? [
    source?.helm || source?.chart ? 'Helm' : 'Kustomize',
  ];
  return {
    sync: {
      status: input.syncStatus,
      comparedTo: multi
        ? { sources, destination: input.app.spec?.destination }
        : { source, destination: input.app.spec?.destination },
      ...(multi
        ? { revisions: input.revisions ?? [] }
        : { revision: input.targetRevision }),
    },
    health: { status: input.health, lastTransitionTime: input.reconciledAt },
    history: input.history,
    reconciledAt: input.reconciledAt,
    ...(op
      ? {
          operationState: {
            operation: {
              sync: multi
                ? {
                    revisions: input.revisions ?? [],
                    syncStrategy: { hook: {} },
                  }
                : { revision: op.revision, syncStrategy: { hook: {} } },
              initiatedBy: {
                automated: Boolean(input.app.spec?.syncPolicy?.automated),
                ...(input.app.spec?.syncPolicy?.automated
                  ? {}
                  : { username: 'admin' }),
              },
              retry: {},
            },
            phase: op.phase,
            message:
              op.message ??
              (op.phase === 'Succeeded'
                ? 'successfully synced (all tasks run)'
                : 'waiting for completion of hook and other tasks'),
            startedAt: op.startedAt,
            ...(op.finishedAt ? { finishedAt: op.finishedAt } : {}),
            syncResult: {
              revision: op.revision,
              ...synced(op.revision),
              resources: [],
            },
          },
        }
      : {}),
    resources:
      input.resources ??
      serviceResources(
        input.app,
        input.syncStatus === 'OutOfSync' ? 'OutOfSync' : 'Synced',
        input.health,
      ),
    summary: {
      images: input.images,
      externalURLs: input.app.metadata.labels?.['app.kubernetes.io/name']
        ? [
            `https://${input.app.metadata.labels['app.kubernetes.io/name']}.${
              input.app.metadata.labels['gitops.backstage.io/environment'] ??
              'dev'
            }.acme.internal`,
          ]
        : [],
    },
    ...(multi ? { sourceTypes } : { sourceType: sourceTypes[0] }),
    controllerNamespace: 'argocd',
    ...(input.conditions?.length ? { conditions: input.conditions } : {}),
  };
}
