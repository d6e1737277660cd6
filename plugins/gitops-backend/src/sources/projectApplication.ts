import {
  computeDrift,
  Drift,
  HealthStatus,
  SyncStatus,
} from '@backstage-gitops/plugin-gitops-common';
import { redactUserinfo } from '@backstage-gitops/plugin-gitops-node';
import { projectHelm } from './projectHelm';
import { elideMiddle, readOperation } from './readOperation';
import { readTrackingParent } from './trackingParent';
import { IgnoredDifference, SlimApplication, SlimSource } from './types';

/** An Application object that cannot be read; reported as a `malformed` source error. */
export class MalformedApplicationError extends Error {
  constructor(
    message: string,
    readonly appNamespace?: string,
    readonly appName?: string,
    readonly labels: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'MalformedApplicationError';
  }
}

const SYNC: SyncStatus[] = ['Synced', 'OutOfSync', 'Unknown'];
const HEALTH: HealthStatus[] = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
];
const MAX_DRIFTED_RESOURCES = 5;
/** Retained bytes per Application (JSON size of the projection). */
export const MAX_PROJECTION_BYTES = 1024;
/**
 * Live images kept per Application. The list is kept whole below this bound, because the
 * service's image is chosen from it per entity when the state is read (by repository, see
 * `liveVersionFromImages`), so dropping any could drop the service's. Its strings are pooled:
 * sidecar and init images repeat across Applications and cost one reference each, which is why
 * the list is left out of the {@link MAX_PROJECTION_BYTES} budget.
 */
const MAX_IMAGES = 256;
const MAX_LABEL_VALUE = 100;
const MAX_CONDITION_MESSAGE = 100;
/** Paths and managers of `spec.ignoreDifferences` kept in all, and their length. */
const MAX_IGNORED_FIELDS = 6;
const MAX_IGNORED_STRING = 80;

type Obj = Record<string, any>;

/**
 * Values most Applications repeat (repository URLs, revisions, namespaces, label values, images)
 * are kept once: each parsed object brings its own copies, which would otherwise be retained per
 * Application. Bounded: when full it starts over, which only costs sharing.
 */
class StringPool {
  readonly #strings = new Map<string, string>();

  constructor(private readonly limit: number) {}

  get<T extends string | undefined>(value: T): T {
    if (value === undefined) return value;
    const pooled = this.#strings.get(value);
    if (pooled !== undefined) return pooled as T;
    if (this.#strings.size >= this.limit) this.#strings.clear();
    this.#strings.set(value, value);
    return value;
  }
}

const pool = new StringPool(50_000);

/** The drift of an Application without any, shared: it is never modified once projected. */
const NO_DRIFT = Object.freeze({
  outOfSync: Object.freeze([]),
  requiresPruning: Object.freeze([]),
  missing: Object.freeze([]),
  comparisonErrors: Object.freeze([]),
  expected: Object.freeze([]),
}) as unknown as Drift;

function isEmptyDrift(drift: Drift) {
  return (
    !drift.outOfSync.length &&
    !drift.requiresPruning.length &&
    !drift.missing.length &&
    !drift.comparisonErrors.length &&
    !drift.expected.length &&
    !drift.warnings?.length &&
    !drift.omitted
  );
}

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new Error(`${field} is not a string`);
  }
  return value;
}

function optionalObject(value: unknown, field: string): Obj {
  if (value === undefined || value === null) {
    return {};
  }
  if (!isObject(value)) {
    throw new Error(`${field} is not an object`);
  }
  return value;
}

function optionalArray(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new Error(`${field} is not a list`);
  }
  return value;
}

function readLabels(value: unknown): Record<string, string> {
  const labels: Record<string, string> = {};
  if (isObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (typeof v === 'string' && v.length <= MAX_LABEL_VALUE) {
        labels[key] = pool.get(v);
      }
    }
  }
  return labels;
}

function readSource(
  value: unknown,
  field: string,
  revision?: string,
  sourceType?: string,
): SlimSource {
  const source = optionalObject(value, field);
  const repoURL = optionalString(source.repoURL, `${field}.repoURL`);
  if (!repoURL) {
    throw new Error(`${field}.repoURL is missing`);
  }
  // credentials in a repoURL never leave the backend: not in state, messages or audit rows
  const slim: SlimSource = { repoURL: pool.get(redactUserinfo(repoURL)) };
  const path = optionalString(source.path, `${field}.path`);
  if (path) slim.path = pool.get(path);
  const targetRevision = optionalString(
    source.targetRevision,
    `${field}.targetRevision`,
  );
  if (targetRevision) slim.targetRevision = pool.get(targetRevision);
  const chart = optionalString(source.chart, `${field}.chart`);
  if (chart) slim.chart = chart;
  const ref = optionalString(source.ref, `${field}.ref`);
  if (ref) slim.ref = ref;
  const helm = optionalObject(source.helm, `${field}.helm`);
  const valueFiles = optionalArray(helm.valueFiles, `${field}.helm.valueFiles`);
  if (valueFiles.length) {
    slim.valueFiles = valueFiles.map(f => pool.get(String(f)));
  }
  projectHelm(helm, field, slim);
  const kustomize = optionalObject(source.kustomize, `${field}.kustomize`);
  const images = optionalArray(kustomize.images, `${field}.kustomize.images`);
  if (images.length) slim.kustomizeImages = images.map(String);
  const directory = optionalObject(source.directory, `${field}.directory`);
  if (directory.recurse === true) slim.directoryRecurse = true;
  if (revision) slim.revision = pool.get(revision);
  if (sourceType) slim.sourceType = pool.get(sourceType);
  return slim;
}

/**
 * The four automated sync policies, shared by every Application: each costs one reference,
 * which is why {@link fitToBudget} leaves them out of the size, as it does the pooled images.
 */
const AUTOMATED_SYNC = Object.freeze([
  Object.freeze([]),
  Object.freeze(['prune']),
  Object.freeze(['selfHeal']),
  Object.freeze(['prune', 'selfHeal']),
]) as unknown as Array<Array<'prune' | 'selfHeal'>>;

/**
 * `spec.syncPolicy.automated`: present (and not `enabled: false`, Argo CD 3's explicit switch)
 * means automated sync.
 */
function readAutomatedSync(
  value: unknown,
): SlimApplication['automatedSync'] | undefined {
  const policy = optionalObject(value, 'spec.syncPolicy');
  if (policy.automated === undefined || policy.automated === null) {
    return undefined;
  }
  const automated = optionalObject(
    policy.automated,
    'spec.syncPolicy.automated',
  );
  if (automated.enabled === false) return undefined;
  const prune = automated.prune === true;
  const selfHeal = automated.selfHeal === true;
  return AUTOMATED_SYNC[(prune ? 1 : 0) + (selfHeal ? 2 : 0)];
}

/**
 * `spec.ignoreDifferences`, bounded: at most {@link MAX_IGNORED_FIELDS} paths and managers in
 * all, each shortened; how many more there were is counted.
 */
function readIgnoreDifferences(value: unknown): {
  entries: IgnoredDifference[];
  omitted: number;
} {
  const short = (v: unknown) =>
    typeof v === 'string' ? pool.get(elideMiddle(v, MAX_IGNORED_STRING)) : '';
  let room = MAX_IGNORED_FIELDS;
  let omitted = 0;
  const take = (list: unknown[]) => {
    const kept = list.slice(0, Math.max(room, 0)).map(short);
    room -= kept.length;
    omitted += list.length - kept.length;
    return kept;
  };
  const entries: IgnoredDifference[] = [];
  for (const entry of optionalArray(value, 'spec.ignoreDifferences')) {
    if (!isObject(entry)) continue;
    const paths = take([
      ...optionalArray(entry.jsonPointers, 'ignoreDifferences.jsonPointers'),
      ...optionalArray(
        entry.jqPathExpressions,
        'ignoreDifferences.jqPathExpressions',
      ),
    ]);
    const managers = take(
      optionalArray(
        entry.managedFieldsManagers,
        'ignoreDifferences.managedFieldsManagers',
      ),
    );
    if (!paths.length && !managers.length) continue;
    const ignored: IgnoredDifference = { kind: short(entry.kind), paths };
    if (entry.group) ignored.group = short(entry.group);
    if (entry.name) ignored.name = short(entry.name);
    if (managers.length) ignored.managers = managers;
    entries.push(ignored);
  }
  return { entries, omitted };
}

function oneOf<T extends string>(value: unknown, allowed: T[]): T {
  return allowed.includes(value as T) ? (value as T) : ('Unknown' as T);
}

const shorten = (limit: number) => (m: string) => elideMiddle(m, limit);

/**
 * The bytes a projection retains, as {@link MAX_PROJECTION_BYTES} counts them: its JSON size
 * without the pooled images and the shared automated sync policy, which cost a reference each.
 */
export function projectionBytes(slim: SlimApplication): number {
  return Buffer.byteLength(
    JSON.stringify({ ...slim, images: undefined, automatedSync: undefined }),
  );
}

/**
 * Makes the projection fit {@link MAX_PROJECTION_BYTES}, one step at a time while it does not:
 * shortens condition messages, trims drift details least important first (expected, out of
 * sync, then requiring pruning, missing; counted in `drift.omitted`, `drift.counts` stays
 * exact), drops `ignoreDifferences` entries (counted; readiness then says it cannot tell),
 * then the failed resources of the last operation, and only then its message, which says why
 * a sync failed. The images (see {@link MAX_IMAGES}) and the shared automated sync
 * policy are left out of the size.
 */
function fitToBudget(slim: SlimApplication): SlimApplication {
  const size = () => projectionBytes(slim);
  const { drift } = slim;
  const lists = [
    drift.expected,
    drift.outOfSync,
    drift.requiresPruning,
    drift.missing,
  ];
  const longerThan = (n: number) => (m?: string) => !!m && m.length > n;
  const steps: Array<() => boolean> = [
    () => {
      if (!drift.comparisonErrors.some(longerThan(60))) return false;
      drift.comparisonErrors = drift.comparisonErrors.map(shorten(60));
      return true;
    },
    () => {
      if (!drift.warnings?.some(longerThan(60))) return false;
      drift.warnings = drift.warnings.map(shorten(60));
      return true;
    },
    () => {
      const list = lists.find(l => l.length > 0);
      if (!list) return false;
      list.pop();
      drift.omitted = (drift.omitted ?? 0) + 1;
      return true;
    },
    () => {
      const dropped = slim.ignoreDifferences?.pop();
      if (!dropped) return false;
      slim.ignoreDifferencesOmitted =
        (slim.ignoreDifferencesOmitted ?? 0) +
        dropped.paths.length +
        (dropped.managers?.length ?? 0);
      if (!slim.ignoreDifferences!.length) delete slim.ignoreDifferences;
      return true;
    },
    () => {
      const failed = slim.operation?.failed ?? [];
      if (!failed.some(f => longerThan(60)(f.message))) return false;
      for (const f of failed) if (f.message) f.message = shorten(60)(f.message);
      return true;
    },
    () => {
      const failed = slim.operation?.failed ?? [];
      if (failed.length <= 1) return false;
      failed.pop();
      return true;
    },
    ...[120, 60].map(limit => () => {
      const operation = slim.operation;
      if (!operation || !longerThan(limit)(operation.message)) return false;
      operation.message = elideMiddle(operation.message!, limit);
      return true;
    }),
  ];
  for (const step of steps) {
    while (size() > MAX_PROJECTION_BYTES && step()) {
      // each step shrinks the projection until it fits or has nothing left to shrink
    }
  }
  return slim;
}

/**
 * Projects a full Application (from the Kubernetes API or Argo CD REST) onto what the state
 * needs, about 0.5 KB. Throws {@link MalformedApplicationError} for objects it cannot read.
 */
export function projectApplication(object: unknown): SlimApplication {
  const metadata = isObject(object) ? object.metadata : undefined;
  const name = isObject(metadata) ? metadata.name : undefined;
  const namespace = isObject(metadata) ? metadata.namespace : undefined;
  const labels = readLabels(isObject(metadata) ? metadata.labels : undefined);
  if (typeof name !== 'string' || !name) {
    throw new MalformedApplicationError(
      'Application without metadata.name',
      typeof namespace === 'string' ? namespace : undefined,
      undefined,
      labels,
    );
  }
  try {
    const app = object as Obj;
    const spec = optionalObject(app.spec, 'spec');
    const status = optionalObject(app.status, 'status');
    const sync = optionalObject(status.sync, 'status.sync');
    const revisions = optionalArray(sync.revisions, 'status.sync.revisions');
    const sourceTypes = optionalArray(status.sourceTypes, 'status.sourceTypes');
    const sources =
      spec.sources !== undefined && spec.sources !== null
        ? optionalArray(spec.sources, 'spec.sources').map((s, i) =>
            readSource(
              s,
              `spec.sources[${i}]`,
              optionalString(revisions[i], 'revision'),
              optionalString(sourceTypes[i], 'status.sourceTypes[]'),
            ),
          )
        : [
            readSource(
              spec.source,
              'spec.source',
              optionalString(sync.revision, 'status.sync.revision'),
              optionalString(status.sourceType, 'status.sourceType'),
            ),
          ];
    const destination = optionalObject(spec.destination, 'spec.destination');
    if (!destination.name && !destination.server) {
      throw new Error('spec.destination has neither name nor server');
    }
    const health = optionalObject(status.health, 'status.health');
    const summary = optionalObject(status.summary, 'status.summary');
    const operationState = optionalObject(
      status.operationState,
      'status.operationState',
    );
    const history = optionalArray(status.history, 'status.history');
    const last = history[history.length - 1];
    const conditions = optionalArray(
      status.conditions,
      'status.conditions',
    ).map(c => {
      const condition = optionalObject(c, 'status.conditions[]');
      const message = optionalString(condition.message, 'condition.message');
      return {
        type: optionalString(condition.type, 'condition.type'),
        message:
          message === undefined
            ? undefined
            : elideMiddle(redactUserinfo(message), MAX_CONDITION_MESSAGE),
      };
    });

    const slim: SlimApplication = {
      metadata: {
        name,
        namespace: pool.get(
          optionalString(namespace, 'metadata.namespace') ?? '',
        ),
        labels,
      },
      destination: {
        name: pool.get(
          optionalString(destination.name, 'spec.destination.name'),
        ),
        server: pool.get(
          optionalString(destination.server, 'spec.destination.server'),
        ),
      },
      sources,
      sync: oneOf(sync.status, SYNC),
      health: oneOf(health.status, HEALTH),
      images: optionalArray(summary.images, 'status.summary.images')
        .filter((i): i is string => typeof i === 'string')
        .slice(0, MAX_IMAGES)
        .map(i => pool.get(i)),
      drift: computeDrift({
        resources: optionalArray(status.resources, 'status.resources') as any,
        conditions,
        ignoreDifferences: optionalArray(
          spec.ignoreDifferences,
          'spec.ignoreDifferences',
        ) as any,
        limit: MAX_DRIFTED_RESOURCES,
      }),
    };
    const resourceVersion = optionalString(
      (metadata as Obj).resourceVersion,
      'metadata.resourceVersion',
    );
    if (resourceVersion) slim.metadata.resourceVersion = resourceVersion;
    const project = optionalString(spec.project, 'spec.project');
    if (project) slim.project = pool.get(project);
    optionalString(operationState.phase, 'status.operationState.phase');
    const operation = readOperation(operationState);
    if (operation) slim.operation = operation;
    const applicationSet = optionalArray(
      (metadata as Obj).ownerReferences,
      'metadata.ownerReferences',
    ).find(o => isObject(o) && o.kind === 'ApplicationSet') as Obj | undefined;
    if (typeof applicationSet?.name === 'string') {
      slim.applicationSet = pool.get(applicationSet.name);
    }
    const trackedBy = readTrackingParent(
      name,
      (metadata as Obj).annotations,
      labels,
    );
    if (trackedBy) slim.trackedBy = pool.get(trackedBy);
    const finishedAt =
      optionalString(
        operationState.finishedAt,
        'status.operationState.finishedAt',
      ) ??
      (isObject(last)
        ? optionalString(last.deployedAt, 'history.deployedAt')
        : undefined);
    if (finishedAt) slim.lastSyncedAt = pool.get(finishedAt);
    if (isObject(last) && typeof last.id === 'number') slim.historyId = last.id;
    const automated = readAutomatedSync(spec.syncPolicy);
    if (automated) slim.automatedSync = automated;
    const ignored = readIgnoreDifferences(spec.ignoreDifferences);
    if (ignored.entries.length) slim.ignoreDifferences = ignored.entries;
    if (ignored.omitted) slim.ignoreDifferencesOmitted = ignored.omitted;
    fitToBudget(slim);
    if (isEmptyDrift(slim.drift)) slim.drift = NO_DRIFT;
    return slim;
  } catch (error) {
    throw new MalformedApplicationError(
      `Application ${namespace ?? ''}/${name} is malformed: ${
        (error as Error).message
      }`,
      typeof namespace === 'string' ? namespace : undefined,
      name,
      labels,
    );
  }
}
