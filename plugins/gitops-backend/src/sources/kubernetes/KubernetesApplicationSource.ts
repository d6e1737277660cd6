import { LoggerService } from '@backstage/backend-plugin-api';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  KubeConfig,
  KubernetesObject,
  ListWatch,
  Watch,
} from '@kubernetes/client-node';
import {
  ApplicationSink,
  InstanceConfig,
} from '@backstage-gitops/plugin-gitops-node';
import { SourceRequestError, StalledError } from '../classifyError';
import { getJson, RequestOptions } from '../httpRequest';
import {
  MalformedApplicationError,
  projectApplication,
} from '../projectApplication';
import {
  DEFAULT_WATCH_ESTABLISHED_MS,
  jittered,
  jitteredBackoffMs,
  SourceHealth,
} from '../SourceHealth';
import { ApplicationSource, SlimApplication, SourceStatus } from '../types';
import { createKubeConfig } from './createKubeConfig';

const API = '/apis/argoproj.io/v1alpha1';
/** Applications per list request, as client-go's pager asks for. */
export const LIST_PAGE_SIZE = 500;
/** How often one list starts over after its continue token expired, before it fails. */
const MAX_LIST_RESTARTS = 3;

/** One page of `GET .../applications?limit=&continue=`. */
interface ApplicationListPage {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: unknown[];
}

/** Options of {@link KubernetesApplicationSource}. */
export interface KubernetesApplicationSourceOptions {
  instance: InstanceConfig;
  store: ApplicationSink;
  logger: LoggerService;
  /** Restart a watch that delivered no event or bookmark for this long. */
  stallTimeoutMs: number;
  /**
   * A failing namespace counts as recovered once its watch delivered data or stayed open this
   * long; defaults to {@link DEFAULT_WATCH_ESTABLISHED_MS}.
   */
  watchEstablishedMs?: number;
  onStatusChange?: () => void;
  /** Defaults to one built from the instance config. */
  kubeConfig?: KubeConfig;
}

/** What a {@link ProjectingWatch} reports besides the events it passes on. */
interface WatchObserver {
  /** The watch is open (HTTP 200). */
  connected(): void;
  /** An event or bookmark arrived. */
  activity(): void;
  /** An Application could not be read; it is left out of the cache. */
  malformed(error: MalformedApplicationError): void;
  /** A malformed Application was deleted. */
  malformedDeleted(namespace: string, name: string): void;
  /** The watch ended. */
  closed(): void;
  /** The watch failed in a way the informer handles itself (410 Gone, timeouts). */
  recovering(error: unknown): void;
}

/**
 * A client-node `Watch` that projects every Application as it arrives, so the informer cache
 * keeps only slim objects, and reports activity (events and bookmarks) to the watchdog.
 * Connecting is bounded by the instance's request timeout; an open watch is bounded by the
 * stall timeout (the watchdog normally restarts it first).
 */
class ProjectingWatch extends Watch {
  #timerReads = 0;

  constructor(
    config: KubeConfig,
    private readonly observer: WatchObserver,
    connectTimeoutMs: number,
    idleTimeoutMs: number,
  ) {
    super(config);
    // client-node reads this when it arms its timer: before connecting, then on every chunk
    Object.defineProperty(this, 'requestTimeoutMs', {
      get: () => (this.#timerReads++ === 0 ? connectTimeoutMs : idleTimeoutMs),
      set: () => {},
    });
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: any, watchObj?: any) => void,
    done: (err: any) => void,
  ): Promise<AbortController> {
    this.#timerReads = 0;
    let failed = false;
    const controller = await super.watch(
      path,
      { ...queryParams, allowWatchBookmarks: true },
      (phase, object, raw) => {
        if (phase === 'ERROR') {
          if (object?.code === 410) {
            this.observer.recovering(
              new SourceRequestError(object?.message ?? 'Gone', 410),
            );
          }
          callback(phase, object, raw);
          return;
        }
        this.observer.activity();
        if (phase !== 'ADDED' && phase !== 'MODIFIED' && phase !== 'DELETED') {
          callback(phase, object, raw);
          return;
        }
        let slim: SlimApplication;
        try {
          slim = projectApplication(object);
        } catch (error) {
          if (!(error instanceof MalformedApplicationError)) throw error;
          if (phase === 'DELETED') {
            this.observer.malformedDeleted(
              error.appNamespace ?? '',
              error.appName ?? '',
            );
          } else {
            this.observer.malformed(error);
          }
          return;
        }
        slim.metadata.resourceVersion ??= object?.metadata?.resourceVersion;
        callback(phase, slim, raw);
      },
      error => {
        failed ||= !!error;
        this.observer.closed();
        // the informer reconnects after these without emitting an error
        if ((error as Error | null)?.name === 'TimeoutError') {
          this.observer.recovering(error);
        }
        done(error);
      },
    );
    if (!failed) this.observer.connected();
    return controller;
  }
}

/**
 * Feeds the store from the Kubernetes API of a cluster running Argo CD: a client-node informer
 * (list + watch) on applications.argoproj.io, cluster-wide or per configured namespace.
 * Errors restart the informer with backoff; a watchdog restarts watches that stall.
 */
export class KubernetesApplicationSource implements ApplicationSource {
  readonly instance: string;
  readonly #options: KubernetesApplicationSourceOptions;
  readonly #kc: KubeConfig;
  readonly #health: SourceHealth;
  readonly #timeoutMs: number;
  readonly #informers = new Map<
    string,
    { informer: ListWatch<any>; generation: number }
  >();
  readonly #restartTimers = new Map<string, NodeJS.Timeout>();
  readonly #failures = new Map<string, number>();
  readonly #lastActivity = new Map<string, number>();
  readonly #openedAt = new Map<string, number>();
  readonly #establishedMs: number;
  #watchdog?: NodeJS.Timeout;
  #generation = 0;
  #stopped = false;

  constructor(options: KubernetesApplicationSourceOptions) {
    this.#options = options;
    this.instance = options.instance.name;
    this.#kc = options.kubeConfig ?? createKubeConfig(options.instance);
    this.#timeoutMs = options.instance.timeoutMs;
    this.#establishedMs =
      options.watchEstablishedMs ?? DEFAULT_WATCH_ESTABLISHED_MS;
    this.#health = new SourceHealth({
      instance: this.instance,
      type: 'kubernetes',
      logger: options.logger,
      onStatusChange: options.onStatusChange,
      establishedMs: options.watchEstablishedMs,
    });
  }

  status(): SourceStatus {
    return this.#health.status();
  }

  async start(): Promise<void> {
    this.#stopped = false;
    const namespaces = this.#options.instance.namespaces?.length
      ? this.#options.instance.namespaces
      : [undefined];
    const interval = Math.max(
      200,
      Math.min(5000, this.#options.stallTimeoutMs / 4),
    );
    this.#watchdog = setInterval(() => this.#checkStalls(), interval);
    this.#watchdog.unref();
    await Promise.all(namespaces.map(ns => this.#startInformer(ns)));
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#watchdog);
    this.#restartTimers.forEach(timer => clearTimeout(timer));
    this.#restartTimers.clear();
    this.#health.stop();
    await Promise.all(
      [...this.#informers.values()].map(({ informer }) => informer.stop()),
    );
    this.#informers.clear();
  }

  async getApplication(namespace: string, name: string): Promise<unknown> {
    return getJson(
      `${this.#server()}${API}/namespaces/${encodeURIComponent(
        namespace,
      )}/applications/${encodeURIComponent(name)}`,
      await this.#requestOptions(),
      this.#timeoutMs,
    );
  }

  #server() {
    const cluster = this.#kc.getCurrentCluster();
    if (!cluster) {
      throw new Error(
        `instance ${this.instance} has no current cluster in its kubeconfig`,
      );
    }
    return cluster.server.replace(/\/+$/, '');
  }

  async #requestOptions(): Promise<RequestOptions> {
    const options: RequestOptions = { headers: { Accept: 'application/json' } };
    await this.#kc.applyToHTTPSOptions(options);
    return options;
  }

  #target(namespace?: string) {
    const target = `instance ${this.instance} (${this.#server()})`;
    return namespace ? `${target}, namespace ${namespace},` : target;
  }

  #key(namespace?: string) {
    return namespace ?? '*';
  }

  #path(namespace?: string) {
    return namespace
      ? `${API}/namespaces/${encodeURIComponent(namespace)}/applications`
      : `${API}/applications`;
  }

  /**
   * Lists every Application in pages of {@link LIST_PAGE_SIZE}. The store is only updated after
   * the last page: a list that fails half way leaves the previous contents in place. A continue
   * token that expired (410 Gone) starts the list over, as client-go's pager does.
   */
  async #list(namespace?: string) {
    const { store } = this.#options;
    let items: SlimApplication[] = [];
    let malformed: MalformedApplicationError[] = [];
    let continueToken: string | undefined;
    let restarts = 0;
    let resourceVersion: string | undefined;
    for (;;) {
      let page: ApplicationListPage;
      try {
        page = await this.#listPage(namespace, continueToken);
      } catch (error) {
        if (
          continueToken &&
          (error as SourceRequestError).statusCode === 410 &&
          restarts < MAX_LIST_RESTARTS
        ) {
          restarts++;
          this.#options.logger.info(
            `Instance ${this.instance}: the list's continue token expired; listing again from the start`,
          );
          items = [];
          malformed = [];
          continueToken = undefined;
          continue;
        }
        throw error;
      }
      for (const item of page.items ?? []) {
        try {
          const slim = projectApplication(item);
          slim.metadata.resourceVersion ??= (
            item as any
          )?.metadata?.resourceVersion;
          items.push(slim);
        } catch (error) {
          if (!(error instanceof MalformedApplicationError)) throw error;
          malformed.push(error);
        }
      }
      continueToken = page.metadata?.continue || undefined;
      if (!continueToken) {
        resourceVersion = page.metadata?.resourceVersion;
        break;
      }
    }
    store.clearMalformed(this.instance, namespace);
    malformed.forEach(error => store.markMalformed(this.instance, error));
    store.replaceAll(this.instance, items, namespace);
    this.#lastActivity.set(this.#key(namespace), Date.now());
    this.#health.listed(this.#key(namespace));
    return {
      metadata: { resourceVersion },
      items: items as unknown as KubernetesObject[],
    };
  }

  async #listPage(
    namespace: string | undefined,
    continueToken: string | undefined,
  ): Promise<ApplicationListPage> {
    const query = new URLSearchParams({ limit: String(LIST_PAGE_SIZE) });
    if (continueToken) query.set('continue', continueToken);
    return (await getJson(
      `${this.#server()}${this.#path(namespace)}?${query}`,
      await this.#requestOptions(),
      this.#timeoutMs,
    )) as ApplicationListPage;
  }

  async #startInformer(namespace?: string) {
    if (this.#stopped) return;
    const key = this.#key(namespace);
    const generation = ++this.#generation;
    const { store } = this.#options;
    const current = () => this.#informers.get(key)?.generation === generation;
    const watch = new ProjectingWatch(
      this.#kc,
      {
        activity: () => {
          if (!current()) return;
          this.#lastActivity.set(key, Date.now());
          this.#failures.set(key, 0);
          if (this.#health.errorKind(key) === 'stalled') {
            // a watch that was silent may have dropped events: re-list once it delivers again
            this.#scheduleRestart(namespace, 0);
          }
          this.#health.delivered(key);
        },
        connected: () => {
          if (!current()) return;
          // the stall window starts when the watch opens
          this.#lastActivity.set(key, Date.now());
          this.#openedAt.set(key, Date.now());
          this.#health.watchOpened(key);
        },
        closed: () => {
          if (!current()) return;
          const openedAt = this.#openedAt.get(key);
          if (
            openedAt !== undefined &&
            Date.now() - openedAt >= this.#establishedMs
          ) {
            this.#failures.set(key, 0);
          }
          this.#openedAt.delete(key);
          this.#health.watchClosed(key);
        },
        malformed: error => store.markMalformed(this.instance, error),
        malformedDeleted: (ns, name) => store.remove(this.instance, ns, name),
        recovering: error => {
          if (current()) this.#health.fail(error, this.#target(namespace), key);
        },
      },
      this.#timeoutMs,
      2 * this.#options.stallTimeoutMs,
    );
    // The informer relists after a 410 and waits between reconnects, doubling from 1 s up to
    // 30 s; jitter keeps the namespaces and replicas that failed together from relisting in step.
    const informer = new ListWatch<any>(
      this.#path(namespace),
      watch,
      () => this.#list(namespace) as any,
      false,
      undefined,
      undefined,
      { delayFn: ms => sleep(jittered(ms), undefined, { ref: false }) },
    );
    informer.on('add', app => current() && store.upsert(this.instance, app));
    informer.on('update', app => current() && store.upsert(this.instance, app));
    informer.on(
      'delete',
      app =>
        current() &&
        store.remove(this.instance, app.metadata.namespace, app.metadata.name),
    );
    informer.on('error', error => {
      if (!current()) return;
      this.#health.fail(error, this.#target(namespace), key);
      this.#scheduleRestart(namespace);
    });
    this.#informers.set(key, { informer, generation });
    this.#lastActivity.set(key, Date.now());
    await informer.start();
  }

  #scheduleRestart(namespace?: string, delayMs?: number) {
    const key = this.#key(namespace);
    if (this.#stopped || this.#restartTimers.has(key)) return;
    const attempt = this.#failures.get(key) ?? 0;
    this.#failures.set(key, attempt + 1);
    const timer = setTimeout(async () => {
      this.#restartTimers.delete(key);
      await this.#informers.get(key)?.informer.stop();
      this.#health.restarted();
      await this.#startInformer(namespace);
    }, delayMs ?? jitteredBackoffMs(attempt));
    timer.unref();
    this.#restartTimers.set(key, timer);
  }

  #checkStalls() {
    const now = Date.now();
    for (const key of this.#informers.keys()) {
      const kind = this.#health.errorKind(key);
      if (kind && kind !== 'stalled') {
        // the watch is not open: its failure is reported and retried already
        continue;
      }
      const last = this.#lastActivity.get(key) ?? now;
      if (
        now - last > this.#options.stallTimeoutMs &&
        !this.#restartTimers.has(key)
      ) {
        const namespace = key === '*' ? undefined : key;
        this.#lastActivity.set(key, now);
        this.#health.fail(
          new StalledError(
            `instance ${this.instance}${
              namespace ? `, namespace ${namespace}` : ''
            }: the watch delivered nothing for ${Math.round(
              (now - last) / 1000,
            )} s; restarting it`,
          ),
          this.instance,
          key,
        );
        this.#scheduleRestart(namespace, 0);
      }
    }
  }
}
