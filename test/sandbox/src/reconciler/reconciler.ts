import { EventEmitter } from 'node:events';
import YAML from 'yaml';
import type { GitHubStore } from '../github/store';
import type { PushEvent } from '../github/model';
import type { ClusterStore, KubeObject, StoreEvent } from '../kube/store';
import { desiredImages, repoFromUrl } from './desired';
import { serviceResources } from '../world/status';

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
    if (isDefault) await this.applyAppOfApps(event);
    for (const instance of this.options.instances()) {
      for (const app of instance.store.all('applications')) {
        const source = app.spec?.source;
        const repo = source?.repoURL ? repoFromUrl(source.repoURL) : undefined;
        if (
          !repo ||
          repo.owner.toLowerCase() !== event.owner.toLowerCase() ||
          repo.repo.toLowerCase() !== event.repo.toLowerCase()
        )
          continue;
        const target = String(source.targetRevision ?? 'HEAD').replace(
          /^refs\/heads\//,
          '',
        );
        if (
          !(
            target === branch ||
            (isDefault && (target === 'HEAD' || target === ''))
          )
        )
          continue;
        this.track(this.reconcile(instance, app, event.before, event.after));
      }
    }
  }

  /** Compares an Application with a new commit and progresses it when its source changed. */
  private async reconcile(
    instance: ReconcilerInstance,
    app: KubeObject,
    before: string | null,
    after: string,
  ): Promise<void> {
    const repoState = this.repoOf(app);
    if (!repoState) return;
    const path = String(app.spec.source.path ?? '');
    const changed =
      !before ||
      !app.status?.history?.length ||
      (await repoState.git.entryAt(before, path))?.oid !==
        (await repoState.git.entryAt(after, path))?.oid;
    if (!changed) {
      this.patchStatus(instance, app, {
        sync: { revision: after },
        reconciledAt: nowIso(),
      });
      return;
    }
    await this.progress(
      instance,
      app.metadata.namespace ?? 'argocd',
      app.metadata.name,
      after,
      false,
    );
  }

  private repoOf(app: KubeObject) {
    const repo = repoFromUrl(app.spec?.source?.repoURL ?? '');
    return repo ? this.options.github.find(repo.owner, repo.repo) : undefined;
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
    const repoState = this.repoOf(app);
    const sha = repoState
      ? await repoState.git.resolve(
          revision ??
            String(
              app.spec.source.targetRevision ?? repoState.record.defaultBranch,
            ).replace(/^HEAD$/, repoState.record.defaultBranch),
        )
      : undefined;
    if (!sha) throw new Error(`cannot resolve revision for ${name}`);
    await this.track(this.progress(instance, namespace, name, sha, true));
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
    namespace: string,
    name: string,
    sha: string,
    explicitSync: boolean,
  ): Promise<void> {
    const key = `${instance.name}/${namespace}/${name}`;
    const run = ++this.generation;
    this.running.set(key, run);
    const current = () =>
      this.running.get(key) === run && !this.stopped
        ? instance.store.get('applications', namespace, name)
        : undefined;
    let app = current();
    if (!app) return;
    const repoState = this.repoOf(app);
    const images = repoState
      ? (await desiredImages(repoState.git, sha, app)) ??
        app.status?.summary?.images ??
        []
      : [];

    if (!explicitSync) {
      app = this.patchStatus(instance, app, {
        sync: {
          status: 'OutOfSync',
          revision: sha,
          comparedTo: {
            source: app.spec.source,
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
          sync: { revision: sha },
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
        syncResult: { revision: sha, source: app.spec.source, resources: [] },
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
      revision: sha,
      deployedAt: finishedAt,
      deployStartedAt: startedAt,
      source: app.spec.source,
      initiatedBy: app.spec?.syncPolicy?.automated
        ? { automated: true }
        : { username: 'admin' },
    });
    const limit = app.spec?.revisionHistoryLimit ?? 10;
    this.patchStatus(instance, app, {
      sync: {
        status: 'Synced',
        revision: sha,
        comparedTo: {
          source: app.spec.source,
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
        syncResult: { revision: sha, source: app.spec.source, resources: [] },
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
    const instanceFor = (cluster: string) =>
      this.options
        .instances()
        .find(i => i.clusters.some(c => c.name === cluster));
    for (const [key, docs] of after) {
      const instance = instanceFor(key.split('|')[0]);
      if (!instance) continue;
      for (const doc of docs) {
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
      const instance = instanceFor(key.split('|')[0]);
      if (!instance) continue;
      for (const doc of docs) {
        if (names.has(doc.metadata.name)) continue;
        const namespace =
          doc.metadata.namespace ?? instance.namespace ?? 'argocd';
        if (instance.store.get('applications', namespace, doc.metadata.name))
          instance.store.delete('applications', namespace, doc.metadata.name);
      }
    }
  }
}
