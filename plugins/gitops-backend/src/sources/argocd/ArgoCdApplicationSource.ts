import { LoggerService } from '@backstage/backend-plugin-api';
import { createParser } from 'eventsource-parser';
import fs from 'node:fs';
import {
  ApplicationSink,
  InstanceConfig,
} from '@backstage-gitops/plugin-gitops-node';
import {
  SourceAuthError,
  SourceRequestError,
  StalledError,
  statusOf,
} from '../classifyError';
import { getJson, openRequest, RequestOptions } from '../httpRequest';
import {
  MalformedApplicationError,
  projectApplication,
} from '../projectApplication';
import {
  DEFAULT_WATCH_ESTABLISHED_MS,
  jitteredBackoffMs,
  SourceHealth,
} from '../SourceHealth';
import { ApplicationSource, SlimApplication, SourceStatus } from '../types';
import { ArgoCdSession } from './ArgoCdSession';

/**
 * The fields of the list call: everything the slim projection reads, no more. It must cover the
 * projection completely, or the list and the stream (which sends whole Applications) would
 * project one Application differently and every re-list would look like a change.
 */
export const APPLICATION_LIST_FIELDS = [
  'metadata.resourceVersion',
  'items.metadata.name',
  'items.metadata.namespace',
  'items.metadata.labels',
  'items.metadata.resourceVersion',
  'items.metadata.ownerReferences.kind',
  'items.metadata.ownerReferences.name',
  // the tracking id names the app-of-apps parent, whose Git path holds the manifest
  'items.metadata.annotations',
  'items.spec.project',
  'items.spec.destination',
  'items.spec.source',
  'items.spec.sources',
  'items.spec.ignoreDifferences',
  'items.spec.syncPolicy.automated',
  'items.status.sync',
  'items.status.health',
  'items.status.summary',
  'items.status.sourceType',
  'items.status.sourceTypes',
  'items.status.operationState.phase',
  'items.status.operationState.finishedAt',
  'items.status.operationState.startedAt',
  'items.status.operationState.message',
  'items.status.operationState.syncResult.resources.kind',
  'items.status.operationState.syncResult.resources.name',
  'items.status.operationState.syncResult.resources.namespace',
  'items.status.operationState.syncResult.resources.status',
  'items.status.operationState.syncResult.resources.message',
  'items.status.operationState.syncResult.resources.hookType',
  'items.status.operationState.syncResult.resources.hookPhase',
  'items.status.resources',
  'items.status.conditions',
  'items.status.history.id',
  'items.status.history.deployedAt',
].join(',');

function readCa(instance: InstanceConfig): string | undefined {
  if (instance.caData) {
    return instance.caData.trim().startsWith('-----BEGIN')
      ? instance.caData
      : Buffer.from(instance.caData, 'base64').toString('utf8');
  }
  return instance.caFile ? fs.readFileSync(instance.caFile, 'utf8') : undefined;
}

/** Options of {@link ArgoCdApplicationSource}. */
export interface ArgoCdApplicationSourceOptions {
  instance: InstanceConfig;
  store: ApplicationSink;
  logger: LoggerService;
  /** Reconnect a stream that delivered no event for this long. */
  stallTimeoutMs: number;
  /** Interval of list polling while the stream is unavailable. */
  pollIntervalMs: number;
  /**
   * A failing instance counts as recovered once its stream delivered an event or stayed open
   * this long; a stream that closes sooner is reconnected with backoff. Defaults to
   * {@link DEFAULT_WATCH_ESTABLISHED_MS}.
   */
  watchEstablishedMs?: number;
  onStatusChange?: () => void;
}

/**
 * Feeds the store from an Argo CD API server: a list with a `fields` whitelist, then the
 * `/api/v1/stream/applications` server-sent events; while the stream is unavailable it polls
 * the list. Errors are reported in the status and retried with backoff.
 */
export class ArgoCdApplicationSource implements ApplicationSource {
  readonly instance: string;
  readonly #options: ArgoCdApplicationSourceOptions;
  readonly #health: SourceHealth;
  readonly #baseUrl: string;
  readonly #timeoutMs: number;
  readonly #establishedMs: number;
  readonly #requestOptions: RequestOptions;
  /** With username/password: the session whose token each request sends. */
  readonly #session?: ArgoCdSession;
  #stopped = true;
  #abortStream?: (error?: Error) => void;
  #wake?: () => void;
  /** A new token came: the next wait for a retry is skipped (it may have failed with the old one). */
  #tokenReplaced = false;
  #loop?: Promise<void>;

  constructor(options: ArgoCdApplicationSourceOptions) {
    const { instance } = options;
    this.#options = options;
    this.instance = instance.name;
    this.#baseUrl = instance.url!.replace(/\/+$/, '');
    this.#timeoutMs = instance.timeoutMs;
    this.#establishedMs =
      options.watchEstablishedMs ?? DEFAULT_WATCH_ESTABLISHED_MS;
    this.#health = new SourceHealth({
      instance: this.instance,
      type: 'argocd',
      logger: options.logger,
      onStatusChange: options.onStatusChange,
      establishedMs: this.#establishedMs,
    });
    const tls = {
      ca: readCa(instance),
      rejectUnauthorized: !instance.skipTLSVerify,
    };
    this.#requestOptions = instance.token
      ? { ...tls, headers: { Authorization: `Bearer ${instance.token}` } }
      : { ...tls, headers: {} };
    if (!instance.token && instance.username && instance.password) {
      this.#session = new ArgoCdSession({
        baseUrl: this.#baseUrl,
        username: instance.username,
        password: instance.password,
        requestOptions: tls,
        timeoutMs: this.#timeoutMs,
        configKey:
          instance.credentialsKey ??
          instance.configKey ??
          `instance ${instance.name}`,
      });
    }
  }

  status(): SourceStatus {
    return this.#health.status();
  }

  async start(): Promise<void> {
    this.#stopped = false;
    let firstList: () => void = () => {};
    const listed = new Promise<void>(resolve => {
      firstList = resolve;
    });
    this.#loop = this.#run(firstList);
    await Promise.race([
      listed,
      new Promise(resolve => setTimeout(resolve, this.#timeoutMs).unref()),
    ]);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abortStream?.();
    this.#wake?.();
    await this.#loop;
    this.#health.stop();
  }

  /**
   * Uses a new token from now on (the operator replaced it in the config): the open stream ends
   * and a list waiting out a failure runs right away, so a rejected token (401) clears without
   * a restart.
   */
  setToken(token: string): void {
    this.#requestOptions.headers = {
      ...this.#requestOptions.headers,
      Authorization: `Bearer ${token}`,
    };
    this.#tokenReplaced = true;
    this.#abortStream?.();
    this.#wake?.();
  }

  /**
   * Signs in with a replaced username and password (changed in the config) from now on, as
   * {@link ArgoCdApplicationSource.setToken} does for a token.
   */
  setCredentials(credentials: { username: string; password: string }): void {
    if (!this.#session) return;
    this.#session.setCredentials(credentials);
    this.#tokenReplaced = true;
    this.#abortStream?.();
    this.#wake?.();
  }

  async getApplication(namespace: string, name: string): Promise<unknown> {
    const query = namespace
      ? `?appNamespace=${encodeURIComponent(namespace)}`
      : '';
    return this.#authorized(options =>
      getJson(
        `${this.#baseUrl}/api/v1/applications/${encodeURIComponent(
          name,
        )}${query}`,
        options,
        this.#timeoutMs,
      ),
    );
  }

  /** `GET /api/v1/applications/{name}/manifests`: the target manifests Argo CD renders. */
  async getManifests(
    namespace: string,
    name: string,
    revision?: string,
  ): Promise<string[]> {
    const query = new URLSearchParams();
    if (namespace) query.set('appNamespace', namespace);
    if (revision) query.set('revision', revision);
    const search = query.toString() ? `?${query}` : '';
    const body = await this.#authorized(options =>
      getJson(
        `${this.#baseUrl}/api/v1/applications/${encodeURIComponent(
          name,
        )}/manifests${search}`,
        options,
        this.#timeoutMs,
      ),
    );
    const manifests = (body as { manifests?: unknown } | undefined)?.manifests;
    return Array.isArray(manifests)
      ? manifests.filter((m): m is string => typeof m === 'string')
      : [];
  }

  /**
   * Sends a request with the instance's token. With a session, a 401 opens one new session and
   * the request is retried once with its token.
   */
  async #authorized<T>(send: (options: RequestOptions) => Promise<T>) {
    const session = this.#session;
    if (!session) return send(this.#requestOptions);
    const withToken = (token: string): RequestOptions => ({
      ...this.#requestOptions,
      headers: {
        ...this.#requestOptions.headers,
        Authorization: `Bearer ${token}`,
      },
    });
    const token = await session.token();
    try {
      return await send(withToken(token));
    } catch (error) {
      if (statusOf(error) !== 401) throw error;
    }
    try {
      return await send(withToken(await session.renew(token)));
    } catch (error) {
      if (statusOf(error) !== 401) throw error;
      // A token of a session opened a moment ago is refused: not an expiry but the account,
      // so the message names the credentials rather than a token the operator never set.
      throw new SourceAuthError(
        `rejected even a new session token (401): ${session.describe()}`,
        401,
      );
    }
  }

  #target() {
    return `instance ${this.instance} (${this.#baseUrl})`;
  }

  async #run(firstList: () => void) {
    let listFailures = 0;
    let streamFailures = 0;
    while (!this.#stopped) {
      let resourceVersion: string | undefined;
      try {
        resourceVersion = await this.#list();
        listFailures = 0;
      } catch (error) {
        this.#health.fail(error, this.#target());
        await this.#sleep(jitteredBackoffMs(listFailures++));
        continue;
      } finally {
        firstList();
      }
      let openedAt: number | undefined;
      let delivered = false;
      try {
        await this.#stream(
          resourceVersion,
          () => {
            openedAt = Date.now();
            this.#health.watchOpened();
          },
          () => {
            delivered = true;
          },
        );
      } catch (error) {
        if (this.#stopped) break;
        if (error instanceof StalledError) {
          this.#options.logger.warn(`${error.message}; re-listing`);
          continue;
        }
        if (openedAt === undefined) {
          this.#options.logger.warn(
            `Instance ${this.instance}: stream unavailable (${
              (error as Error).message
            }); polling every ${this.#options.pollIntervalMs / 1000} s`,
          );
          // polling is the fallback: the list that just succeeded is current data
          this.#health.ok();
          await this.#sleep(this.#options.pollIntervalMs);
          continue;
        }
      } finally {
        this.#health.watchClosed();
      }
      if (this.#stopped) break;
      const established =
        delivered ||
        (openedAt !== undefined &&
          Date.now() - openedAt >= this.#establishedMs);
      if (established) {
        streamFailures = 0;
      } else {
        // a stream that keeps closing right away must not turn into a list loop
        await this.#sleep(jitteredBackoffMs(streamFailures++));
      }
    }
  }

  async #list(): Promise<string | undefined> {
    const raw = (await this.#authorized(options =>
      getJson(
        `${this.#baseUrl}/api/v1/applications?fields=${encodeURIComponent(
          APPLICATION_LIST_FIELDS,
        )}`,
        options,
        this.#timeoutMs,
      ),
    )) as { metadata?: { resourceVersion?: string }; items?: unknown[] | null };
    const { store } = this.#options;
    store.clearMalformed(this.instance);
    const items: SlimApplication[] = [];
    for (const item of raw.items ?? []) {
      const slim = this.#project(item);
      if (slim) items.push(slim);
    }
    store.replaceAll(this.instance, items);
    this.#health.listed();
    return raw.metadata?.resourceVersion;
  }

  #project(item: unknown): SlimApplication | undefined {
    try {
      return projectApplication(item);
    } catch (error) {
      if (!(error instanceof MalformedApplicationError)) throw error;
      this.#options.store.markMalformed(this.instance, error);
      return undefined;
    }
  }

  async #stream(
    resourceVersion: string | undefined,
    onConnect: () => void,
    onDelivered: () => void,
  ) {
    const query = resourceVersion
      ? `?resourceVersion=${encodeURIComponent(resourceVersion)}`
      : '';
    const { response, abort } = await this.#authorized(async options => {
      const opened = await openRequest(
        `${this.#baseUrl}/api/v1/stream/applications${query}`,
        {
          ...options,
          headers: { ...options.headers, Accept: 'text/event-stream' },
        },
        this.#timeoutMs,
      );
      this.#abortStream = opened.abort;
      if ((opened.response.statusCode ?? 0) >= 400) {
        opened.abort();
        throw new SourceRequestError(
          `stream answered HTTP ${opened.response.statusCode}`,
          opened.response.statusCode,
        );
      }
      return opened;
    });
    onConnect();
    const { store } = this.#options;
    let watchdog: NodeJS.Timeout | undefined;
    let stalled: StalledError | undefined;
    const resetWatchdog = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        stalled = new StalledError(
          `Instance ${this.instance}: the stream delivered nothing for ${
            this.#options.stallTimeoutMs / 1000
          } s`,
        );
        abort(stalled);
      }, this.#options.stallTimeoutMs);
      watchdog.unref();
    };
    const parser = createParser({
      onEvent: event => {
        resetWatchdog();
        let payload: any;
        try {
          payload = JSON.parse(event.data);
        } catch {
          return;
        }
        const result = payload?.result;
        if (!result?.application) return;
        onDelivered();
        this.#health.delivered();
        if (result.type === 'DELETED') {
          const meta = result.application.metadata ?? {};
          store.remove(this.instance, meta.namespace ?? '', meta.name ?? '');
          return;
        }
        const slim = this.#project(result.application);
        if (slim) store.upsert(this.instance, slim);
      },
    });
    resetWatchdog();
    try {
      for await (const chunk of response) {
        parser.feed(chunk.toString('utf8'));
      }
    } catch (error) {
      throw stalled ?? error;
    } finally {
      clearTimeout(watchdog);
      this.#abortStream = undefined;
    }
    if (stalled) throw stalled;
  }

  #sleep(ms: number) {
    if (this.#tokenReplaced) {
      // a request with the old token failed after the new one came: retry now, with it
      this.#tokenReplaced = false;
      return Promise.resolve();
    }
    return new Promise<void>(resolve => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      timer.unref();
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
