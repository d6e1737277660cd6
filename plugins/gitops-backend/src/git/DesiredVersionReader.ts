import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { VersionSource } from '@backstage-gitops/plugin-gitops-common';
import {
  createGithubClient,
  GithubClient,
  parseGithubRepositoryUrl,
  YamlLimits,
} from '@backstage-gitops/plugin-gitops-node';
import { posix } from 'node:path';
import {
  CacheLimits,
  DEFAULT_CACHE_LIMITS,
} from '@backstage-gitops/plugin-gitops-node';
import { SlimApplication, SlimSource } from '../sources/types';
import {
  DesiredVersion,
  DesiredVersionCacheStats,
  GitReadCaches,
  ReadFile,
} from './GitReadCaches';
import { fileReadError, GitReadError } from './GitReadError';
import {
  kustomizeOverride,
  kustomizeTag,
  readPath,
  resolveValueFile,
} from './versionLocators';

export { GitReadError } from './GitReadError';
export type { DesiredVersion, DesiredVersionCacheStats } from './GitReadCaches';

/** Options of {@link DesiredVersionReader}. */
export interface DesiredVersionReaderOptions {
  integrations: ScmIntegrationRegistry;
  /**
   * Credentials per repository, asked on every request. Defaults to the tokens and GitHub Apps
   * of `integrations.github`, as Backstage's GitHub URL reader uses them.
   */
  credentialsProvider?: GithubCredentialsProvider;
  logger: LoggerService;
  /** Dot path of the version in Helm values, e.g. `image.tag`. */
  helmValuesKey: string;
  /** How long a file read at a branch (not a commit) is trusted. */
  branchTtlMs?: number;
  timeoutMs?: number;
  /** Files beyond these are refused before parsing (a `git` error naming the limit). */
  yamlLimits?: YamlLimits;
  /** Bounds and time to live of the caches; defaults to those of `gitops.cache.git`. */
  cacheLimits?: CacheLimits['git'];
  /** Milliseconds now, for the caches' times to live; tests and benchmarks simulate it. */
  clock?: () => number;
}

const COMMIT_SHA = /^[0-9a-f]{40}$/;

/** The file names kustomize recognises as a kustomization, in the order it looks for them. */
export const KUSTOMIZATION_FILE_NAMES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

/**
 * Reads desired versions from the GitOps repositories Applications point at, through the GitHub
 * API with the integration configured for the repository's host. Files are read at the revision
 * Argo CD last compared (immutable, cached up to `ttlMs`) or at the tracked branch (cached
 * briefly); parsed content is cached by blob sha, so a file is parsed once whatever the revision.
 * Every cache is an LRU cache bounded by `cacheLimits`.
 */
export class DesiredVersionReader {
  readonly #options: DesiredVersionReaderOptions;
  readonly #credentialsProvider: GithubCredentialsProvider;
  readonly #clients = new Map<string, Promise<GithubClient>>();
  readonly #caches: GitReadCaches;
  readonly #inflight = new Map<string, Promise<DesiredVersion>>();
  readonly #fileReads = new Map<string, Promise<ReadFile | undefined>>();
  #upstreamCalls = 0;

  constructor(options: DesiredVersionReaderOptions) {
    this.#options = options;
    this.#credentialsProvider =
      options.credentialsProvider ??
      DefaultGithubCredentialsProvider.fromIntegrations(options.integrations);
    this.#caches = new GitReadCaches({
      limits: options.cacheLimits ?? DEFAULT_CACHE_LIMITS.git,
      branchTtlMs: options.branchTtlMs ?? 60_000,
      clock: options.clock,
    });
  }

  /** Number of GitHub requests made so far (for benchmarks and tests). */
  get upstreamCalls() {
    return this.#upstreamCalls;
  }

  /** Insertions, evictions and expirations of each cache so far. */
  cacheStats(): DesiredVersionCacheStats {
    return this.#caches.stats();
  }

  /** The cached desired version of an Application, without reading Git. */
  cached(
    app: SlimApplication,
    serviceNames: string[],
  ): DesiredVersion | undefined {
    return this.#caches.result(this.#resultKey(app, serviceNames));
  }

  /** The desired version of an Application (Helm values, Kustomize image or chart pin). */
  desiredVersion(
    app: SlimApplication,
    serviceNames: string[],
  ): Promise<DesiredVersion> {
    const key = this.#resultKey(app, serviceNames);
    const cached = this.cached(app, serviceNames);
    if (cached) return Promise.resolve(cached);
    const failed = this.#caches.failure(key);
    if (failed) return Promise.reject(failed.error);
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.#locate(app.sources, serviceNames)
        .then(value => {
          const pinned = app.sources.every(
            s => s.chart || (s.revision && COMMIT_SHA.test(s.revision)),
          );
          this.#caches.setResult(key, value, pinned);
          return value;
        })
        .catch(error => {
          // a failing read is retried after a while, not on every page view
          this.#caches.setFailure(key, error);
          throw error;
        })
        .finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    return pending;
  }

  /** The desired version at one revision of a source, e.g. for a history entry. */
  versionAt(
    sources: SlimSource[],
    serviceNames: string[],
  ): Promise<DesiredVersion> {
    return this.#locate(sources, serviceNames);
  }

  #resultKey(app: SlimApplication, serviceNames: string[]) {
    return JSON.stringify([
      app.sources.map(s => [
        s.repoURL,
        s.path,
        s.targetRevision,
        s.revision,
        s.chart,
        s.valueFiles,
        s.kustomizeImages,
      ]),
      serviceNames,
    ]);
  }

  async #locate(
    sources: SlimSource[],
    serviceNames: string[],
  ): Promise<DesiredVersion> {
    const chart = sources.find(s => s.chart);
    if (chart) {
      return {
        version: chart.targetRevision,
        source: {
          repoUrl: chart.repoURL,
          path: chart.chart!,
          ref: chart.targetRevision ?? '',
          locator: { type: 'chart-revision' },
        },
      };
    }
    const main = sources.find(s => s.path) ?? sources[0];
    if (!main) return {};

    const imageOverride = kustomizeOverride(main, serviceNames);
    if (imageOverride) return imageOverride;

    const valueFiles = main.valueFiles ?? [];
    if (valueFiles.length > 0) {
      // later value files override earlier ones, so read from the last
      for (const file of [...valueFiles].reverse()) {
        const { source, path } = resolveValueFile(file, main, sources);
        const found = await this.#readValue(source, path, document =>
          readPath(document, this.#options.helmValuesKey),
        );
        if (found) {
          return this.#result(found, source, path, {
            type: 'helm-values',
            key: this.#options.helmValuesKey,
          });
        }
      }
      return {};
    }
    const dir = main.path ?? '';
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      const kustomization = posix.join(dir, name);
      const file = await this.#readFile(main, kustomization, true);
      if (!file) continue;
      // like kustomize, the first file name present is the kustomization
      const kustomized = kustomizeTag(file.document, serviceNames);
      if (kustomized) {
        return this.#result(
          { ...kustomized, blobSha: file.blobSha, url: file.url },
          main,
          kustomization,
          { type: 'kustomize-image', image: kustomized.image },
        );
      }
      break;
    }
    const values = posix.join(dir, 'values.yaml');
    const helm = await this.#readValue(
      main,
      values,
      doc => readPath(doc, this.#options.helmValuesKey),
      true,
    );
    if (helm) {
      return this.#result(helm, main, values, {
        type: 'helm-values',
        key: this.#options.helmValuesKey,
      });
    }
    return {};
  }

  #result(
    found: { value: string; blobSha: string; url?: string },
    source: SlimSource,
    path: string,
    locator: VersionSource['locator'],
  ): DesiredVersion {
    return {
      version: found.value,
      source: {
        repoUrl: source.repoURL,
        path,
        ref: source.targetRevision ?? 'HEAD',
        blobSha: found.blobSha,
        url: found.url,
        locator,
      },
    };
  }

  async #readValue<T extends string | { value: string }>(
    source: SlimSource,
    path: string,
    pick: (document: unknown) => T | undefined,
    optional = false,
  ): Promise<
    { value: string; blobSha: string; url?: string; image?: string } | undefined
  > {
    const file = await this.#readFile(source, path, optional);
    if (!file) return undefined;
    const picked = pick(file.document);
    if (picked === undefined) return undefined;
    return typeof picked === 'string'
      ? { value: picked, blobSha: file.blobSha, url: file.url }
      : { ...(picked as any), blobSha: file.blobSha, url: file.url };
  }

  #readFile(
    source: SlimSource,
    path: string,
    optional: boolean,
  ): Promise<ReadFile | undefined> {
    let ref: string | undefined;
    if (source.revision && COMMIT_SHA.test(source.revision)) {
      ref = source.revision;
    } else if (source.targetRevision && source.targetRevision !== 'HEAD') {
      ref = source.targetRevision;
    }
    const key = `${source.repoURL}@${ref ?? 'HEAD'}:${path}`;
    const cached = this.#caches.file(key);
    if (cached) return Promise.resolve(cached);
    // the history of an environment asks for one file at one commit once per cluster, at once
    const readKey = `${optional}:${key}`;
    let pending = this.#fileReads.get(readKey);
    if (!pending) {
      pending = this.#fetchFile(source, path, ref, key, optional).finally(() =>
        this.#fileReads.delete(readKey),
      );
      this.#fileReads.set(readKey, pending);
    }
    return pending;
  }

  async #fetchFile(
    source: SlimSource,
    path: string,
    ref: string | undefined,
    key: string,
    optional: boolean,
  ): Promise<ReadFile | undefined> {
    let repository;
    try {
      repository = parseGithubRepositoryUrl(source.repoURL);
    } catch (error) {
      throw new GitReadError((error as Error).message, source.repoURL);
    }
    const name = `${repository.owner}/${repository.repo}`;
    try {
      const client = await this.#client(source.repoURL);
      this.#upstreamCalls++;
      const { data } = await client.repos.getContent({
        owner: repository.owner,
        repo: repository.repo,
        path,
        ref,
        request: {
          signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
        },
      });
      if (Array.isArray(data) || data.type !== 'file') {
        throw new Error(`${path} is not a file`);
      }
      return this.#caches.setFile(
        key,
        {
          blobSha: data.sha,
          url:
            data.html_url ??
            `${repository.webUrl}/blob/${ref ?? 'HEAD'}/${path}`,
          pinned: !!ref && COMMIT_SHA.test(ref),
          path,
        },
        () => Buffer.from(data.content ?? '', 'base64').toString('utf8'),
        this.#options.yamlLimits,
      );
    } catch (error) {
      if (optional && (error as any)?.status === 404) return undefined;
      throw fileReadError(error, {
        path,
        ref,
        repository: name,
        host: repository.host,
      });
    }
  }

  /** One client per host and organization; its credentials are asked per request. */
  #client(repoUrl: string) {
    const { host, owner } = parseGithubRepositoryUrl(repoUrl);
    const key = `${host}/${owner.toLowerCase()}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = createGithubClient({
        integrations: this.#options.integrations,
        credentialsProvider: this.#credentialsProvider,
        repoUrl,
        logger: this.#options.logger,
        retries: 1,
      });
      client.catch(() => this.#clients.delete(key));
      this.#clients.set(key, client);
    }
    return client;
  }
}
