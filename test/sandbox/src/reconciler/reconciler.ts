import { EventEmitter } from 'node:events';
import YAML from 'yaml';
import type { GitHubStore } from '../github/store';
import type { PushEvent } from '../github/model';
import type { ClusterStore, KubeObject, StoreEvent } from '../kube/store';
import { appSources, isRefOnly, renderedImages } from './desired';
import { applyParentApplications } from './parentApplications';
import {
  renderedPaths,
  RepoCommit,
  sourceFileReader,
  sourceRepo,
  sourceRevisions,
  syncedSources,
  trackedBranch,
} from './sourceRevisions';
import { serviceResources } from '../world/status';
import { managingInstance } from '../world/model';

export interface ReconcilerInstance {
  name: string;
  store: ClusterStore;
  /** Clusters managed by this instance: name and API server URL. */
  clusters: { name: string; server: string }[];
  /** Namespace Applications live in (default `argocd`). */
  namespace?: string;
}

export interface ReconcilerOptions {
  github: GitHubStore;
  instances: () => ReconcilerInstance[];
  /** Delay between OutOfSync → Progressing → Synced (default 1000 ms). */
  phaseDelayMs?: number;
  /** When true, Applications without automated sync stop at OutOfSync until synced (default false). */
  respectManualSync?: boolean;
  /**
   * When true, app of apps creates no Application (updates and deletes go on), as an Argo CD
   * without its app of apps would: for tests that must fail when no Application exists.
   */
  withholdApplications?: boolean;
}

/** `revision` or `revisions` of {@link syncedSources}. */
const revisionOf = ({ revision, revisions }: Record<string, unknown>) =>
  revisions ? { revisions } : { revision };
/** `source` or `sources` of {@link syncedSources}. */
const sourceOf = ({ source, sources }: Record<string, unknown>) =>
  sources ? { sources } : { source };

const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Plays Argo CD's application controller: reacts to branch moves in the GitHub
 * stand-in by moving affected Applications through OutOfSync → Progressing →
 * Synced/Healthy, and manages Applications declared under
 * `clusters/<cluster>/apps/*.yaml` (app of apps).
 */
export class Reconciler extends EventEmitter {
  private readonly running = new Map<string, number>();
  private generation = 0;
  private stopped = false;
  private pending = 0;
  phaseDelayMs: number;
  respectManualSync: boolean;
  withholdApplications: boolean;
  private readonly storeListeners = new Map<
    ClusterStore,
    (event: StoreEvent) => void
  >();

  constructor(private readonly options: ReconcilerOptions) {
    super();
    this.phaseDelayMs = options.phaseDelayMs ?? 1000;
    this.respectManualSync = options.respectManualSync ?? false;
    this.withholdApplications = options.withholdApplications ?? false;
  }

  start(): void {
    this.stopped = false;
    this.options.github.on('push', this.onPush);
    for (const instance of this.options.instances())
      this.watchOperations(instance);
  }

  stop(): void {
    this.stopped = true;
    this.options.github.off('push', this.onPush);
    for (const [store, listener] of this.storeListeners)
      store.off('event', listener);
    this.storeListeners.clear();
  }

  /** Resolves once no reconciliation is in flight. */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending > 0) {
      if (Date.now() > deadline)
        throw new Error('reconciler did not become idle');
      await sleep(20);
    }
  }

  private watchOperations(instance: ReconcilerInstance) {
    if (this.storeListeners.has(instance.store)) return;
    const listener = (event: StoreEvent) => this.onOperation(instance, event);
    this.storeListeners.set(instance.store, listener);
    instance.store.on('event', listener);
  }

  /** `kubectl patch app x --type merge -p '{"operation":{"sync":{}}}'` triggers a sync, as in Argo CD. */
  private onOperation(instance: ReconcilerInstance, event: StoreEvent) {
    if (
      event.plural !== 'applications' ||
      event.type === 'DELETED' ||
      !event.object.operation?.sync
    )
      return;
    const app = event.object;
    setImmediate(() => {
      try {
        instance.store.patch(
          'applications',
          app.metadata.namespace,
          app.metadata.name,
          'merge',
          { operation: null },
          { validate: false },
        );
      } catch {
        return;
      }
      this.sync(
        instance.name,
        app.metadata.namespace ?? 'argocd',
        app.metadata.name,
        app.operation.sync.revision,
      ).catch(error => this.emit('error', error));
    });
  }

  private readonly onPush = (event: PushEvent) => {
    this.track(this.handlePush(event));
  };

  private track<T>(promise: Promise<T>): Promise<T | undefined> {
    this.pending++;
    return promise
      .catch(error => {
        this.emit('error', error);
        return undefined;
      })
      .finally(() => {
        this.pending--;
      });
  }

  private async handlePush(event: PushEvent): Promise<void> {
    if (this.stopped || !event.ref.startsWith('refs/heads/') || !event.after)
      return;
    const repoState = this.options.github.find(event.owner, event.repo);
    if (!repoState) return;
    const branch = event.ref.slice('refs/heads/'.length);
    const isDefault = branch === repoState.record.defaultBranch;
    const commit: RepoCommit = {
      owner: event.owner,
      repo: event.repo,
      sha: event.after,
    };
    if (isDefault) await this.applyAppOfApps(event);
    const updatedChildren = new Set<KubeObject>();
    for (const instance of this.options.instances()) {
      const children = await applyParentApplications({
        github: this.options.github,
        store: instance.store,
        event,
        withholdApplications: this.withholdApplications,
      });
      for (const child of children) {
        updatedChildren.add(child);
        this.track(this.progress(instance, child, commit, false));
      }
    }
    for (const instance of this.options.instances()) {
      for (const app of instance.store.all('applications')) {
        if (
          [...updatedChildren].some(
            c =>
              c.metadata.name === app.metadata.name &&
              c.metadata.namespace === app.metadata.namespace,
          )
        )
          continue;
        const tracks = appSources(app).some(source => {
          const repo = sourceRepo(this.options.github, source);
          return (
            repo?.state === repoState &&
            trackedBranch(source, repoState.record.defaultBranch) === branch
          );
        });
        if (!tracks) continue;
        this.track(this.reconcile(instance, app, event.before, commit));
      }
    }
  }

  /** Compares an Application with a new commit and progresses it when what it renders changed. */
  private async reconcile(
    instance: ReconcilerInstance,
    app: KubeObject,
    before: string | null,
    after: RepoCommit,
  ): Promise<void> {
    const repoState = this.options.github.find(after.owner, after.repo);
    if (!repoState) return;
    const oid = async (sha: string, path: string) =>
      (await repoState.git.entryAt(sha, path))?.oid;
    let changed = !before || !app.status?.history?.length;
    for (const path of renderedPaths(this.options.github, app, after)) {
      if (changed) break;
      changed = (await oid(before!, path)) !== (await oid(after.sha, path));
    }
    if (!changed) {
      const revisions = await sourceRevisions(this.options.github, app, after);
      const { revision, revisions: all } = syncedSources(app, revisions);
      this.patchStatus(instance, app, {
        sync: all ? { revisions: all } : { revision },
        reconciledAt: nowIso(),
      });
      return;
    }
    await this.progress(instance, app, after, false);
  }

  /** The Git source a sync revision is resolved in: the first rendered one in the stand-in. */
  private primarySource(app: KubeObject) {
    const sources = appSources(app);
    for (const source of [
      ...sources.filter(s => !isRefOnly(s)),
      ...sources.filter(isRefOnly),
    ]) {
      const repo = sourceRepo(this.options.github, source);
      if (repo) return { source, repo };
    }
    return undefined;
  }

  /** Syncs an Application to `revision` (default: HEAD of its targetRevision), like `argocd app sync`. */
  async sync(
    instanceName: string,
    namespace: string,
    name: string,
    revision?: string,
  ): Promise<void> {
    const instance = this.options
      .instances()
      .find(i => i.name === instanceName);
    const app = instance?.store.get('applications', namespace, name);
    if (!instance || !app)
      throw new Error(
        `application ${instanceName}/${namespace}/${name} not found`,
      );
    const primary = this.primarySource(app);
    const sha = primary
      ? await primary.repo.state.git.resolve(
          revision ??
            trackedBranch(
              primary.source,
              primary.repo.state.record.defaultBranch,
            ),
        )
      : undefined;
    if (!primary || !sha)
      throw new Error(`cannot resolve revision for ${name}`);
    await this.track(
      this.progress(
        instance,
        app,
        { owner: primary.repo.owner, repo: primary.repo.repo, sha },
        true,
      ),
    );
  }

  private patchStatus(
    instance: ReconcilerInstance,
    app: KubeObject,
    status: Record<string, unknown>,
  ): KubeObject | undefined {
    try {
      return instance.store.patch(
        'applications',
        app.metadata.namespace,
        app.metadata.name,
        'merge',
        { status },
        { validate: false },
      );
    } catch {
      return undefined; // deleted meanwhile
    }
  }

  private async progress(
    instance: ReconcilerInstance,
    target: KubeObject,
    commit: RepoCommit,
    explicitSync: boolean,
  ): Promise<void> {
    const namespace = target.metadata.namespace ?? 'argocd';
    const name = target.metadata.name;
    const key = `${instance.name}/${namespace}/${name}`;
    const run = ++this.generation;
    this.running.set(key, run);
    const current = () =>
      this.running.get(key) === run && !this.stopped
        ? instance.store.get('applications', namespace, name)
        : undefined;
    let app = current();
    if (!app) return;
    const revisions = await sourceRevisions(this.options.github, app, commit);
    const synced = syncedSources(app, revisions);
    const images =
      (await renderedImages(
        app,
        sourceFileReader(this.options.github, app, revisions),
      )) ??
      app.status?.summary?.images ??
      [];
    const sha = commit.sha;

    if (!explicitSync) {
      app = this.patchStatus(instance, app, {
        sync: {
          status: 'OutOfSync',
          ...revisionOf(synced),
          comparedTo: {
            ...sourceOf(synced),
            destination: app.spec.destination,
          },
        },
        reconciledAt: nowIso(),
        resources: serviceResources(
          app,
          'OutOfSync',
          app.status?.health?.status ?? 'Healthy',
        ),
      });
      if (!app) return;
      const automated = Boolean(app.spec?.syncPolicy?.automated);
      if (this.respectManualSync && !automated) return;
      await sleep(this.phaseDelayMs);
    }
    app = current();
    if (!app) return;
    const startedAt = nowIso();
    app = this.patchStatus(instance, app, {
      health: { status: 'Progressing', lastTransitionTime: startedAt },
      summary: { ...(app.status?.summary ?? {}), images },
      operationState: {
        operation: {
          sync: revisionOf(synced),
          initiatedBy: app.spec?.syncPolicy?.automated
            ? { automated: true }
            : { username: 'admin' },
          retry: {},
        },
        phase: 'Running',
        message: `waiting for healthy state of apps/Deployment/${
          app.metadata.labels?.['app.kubernetes.io/name'] ?? name
        }`,
        startedAt,
        // `revision` is required in a sync result, multi-source too
        syncResult: { revision: revisions[0], ...synced, resources: [] },
      },
      resources: serviceResources(app, 'Synced', 'Progressing'),
    });
    if (!app) return;
    await sleep(this.phaseDelayMs);
    app = current();
    if (!app) return;
    const finishedAt = nowIso();
    const history = [...(app.status?.history ?? [])];
    const nextId =
      history.reduce(
        (max: number, h: { id: number }) => Math.max(max, h.id),
        -1,
      ) + 1;
    history.push({
      id: nextId,
      ...synced,
      deployedAt: finishedAt,
      deployStartedAt: startedAt,
      initiatedBy: app.spec?.syncPolicy?.automated
        ? { automated: true }
        : { username: 'admin' },
    });
    const limit = app.spec?.revisionHistoryLimit ?? 10;
    this.patchStatus(instance, app, {
      sync: {
        status: 'Synced',
        ...revisionOf(synced),
        comparedTo: {
          ...sourceOf(synced),
          destination: app.spec.destination,
        },
      },
      health: { status: 'Healthy', lastTransitionTime: finishedAt },
      history: history.slice(-limit),
      reconciledAt: finishedAt,
      summary: { ...(app.status?.summary ?? {}), images },
      operationState: {
        ...(app.status?.operationState ?? {}),
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt,
        finishedAt,
        // `revision` is required in a sync result, multi-source too
        syncResult: { revision: revisions[0], ...synced, resources: [] },
      },
      resources: serviceResources(app, 'Synced', 'Healthy'),
    });
    this.running.delete(key);
    this.emit('synced', {
      instance: instance.name,
      namespace,
      name,
      revision: sha,
      images,
    });
  }

  /** Creates, updates and deletes Applications declared under clusters/<cluster>/apps/. */
  private async applyAppOfApps(event: PushEvent): Promise<void> {
    const state = this.options.github.find(event.owner, event.repo)!;
    const manifests = async (sha: string | null) => {
      const result = new Map<string, KubeObject[]>();
      if (!sha) return result;
      const clusters = await state.git.entryAt(sha, 'clusters');
      if (!clusters || clusters.type !== 'tree') return result;
      for (const entry of await state.git.readTreeRecursive(
        clusters.oid,
        'clusters',
      )) {
        const match = /^clusters\/([^/]+)\/apps\/[^/]+\.ya?ml$/.exec(
          entry.path,
        );
        if (!match || entry.type !== 'blob') continue;
        const docs = YAML.parseAllDocuments(
          (await state.git.readBlob(entry.oid)).toString('utf8'),
        )
          .map(d => d.toJSON())
          .filter(d => d?.kind === 'Application' && d?.metadata?.name);
        result.set(`${match[1]}|${entry.path}`, docs);
      }
      return result;
    };
    const before = await manifests(event.before);
    const after = await manifests(event.after);
    const instanceFor = (cluster: string, doc: KubeObject) =>
      managingInstance(
        this.options.instances(),
        cluster,
        doc.spec?.destination,
      );
    for (const [key, docs] of after) {
      for (const doc of docs) {
        const instance = instanceFor(key.split('|')[0], doc);
        if (!instance) continue;
        const namespace =
          doc.metadata.namespace ?? instance.namespace ?? 'argocd';
        const existing = instance.store.get(
          'applications',
          namespace,
          doc.metadata.name,
        );
        if (!existing) {
          if (this.withholdApplications) continue;
          try {
            instance.store.create('applications', {
              ...doc,
              metadata: { ...doc.metadata, namespace },
              status: {
                sync: { status: 'OutOfSync' },
                health: { status: 'Missing' },
                reconciledAt: nowIso(),
              },
            });
          } catch (error) {
            this.emit('error', error);
          }
        } else if (JSON.stringify(existing.spec) !== JSON.stringify(doc.spec)) {
          instance.store.update('applications', {
            ...existing,
            spec: doc.spec,
            metadata: {
              ...existing.metadata,
              labels: doc.metadata.labels ?? existing.metadata.labels,
            },
          });
        }
      }
    }
    for (const [key, docs] of before) {
      const names = new Set((after.get(key) ?? []).map(d => d.metadata.name));
      for (const doc of docs) {
        if (names.has(doc.metadata.name)) continue;
        const instance = instanceFor(key.split('|')[0], doc);
        if (!instance) continue;
        const namespace =
          doc.metadata.namespace ?? instance.namespace ?? 'argocd';
        if (instance.store.get('applications', namespace, doc.metadata.name))
          instance.store.delete('applications', namespace, doc.metadata.name);
      }
    }
  }
}
