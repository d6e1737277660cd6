import { LoggerService } from '@backstage/backend-plugin-api';
import {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  builtinVersionLocators,
  createGithubRepoClientFactory,
  GitopsRepoClient,
  GitopsRepoClientFactory,
  isPackagedChart,
  MergedHelmValues,
  mergedHelmValues,
  parseGithubRepositoryUrl,
  VersionLocators,
  VersionReadApplication,
  YamlLimits,
} from '@backstage-gitops/plugin-gitops-node';
import {
  CacheLimits,
  DEFAULT_CACHE_LIMITS,
  GITOPS_CONFIG_DEFAULTS,
} from '@backstage-gitops/plugin-gitops-node';
import { VersionSource } from '@backstage-gitops/plugin-gitops-common';
import { SlimApplication, SlimSource } from '../sources/types';
import {
  DesiredVersion,
  DesiredVersionCacheStats,
  GitReadCaches,
  ReadFile,
} from './GitReadCaches';
import { fileReadError, GitReadError } from './GitReadError';

export { GitReadError } from './GitReadError';
export type { DesiredVersion, DesiredVersionCacheStats } from './GitReadCaches';

/** What else than its sources an Application's desired version depends on. */
export interface DesiredVersionOptions {
  /** The Application tracking it (app-of-apps), whose source may hold its manifest. */
  parent?: SlimApplication;
  /** The service's image repositories (`gitops/image`), to pick its image in manifests. */
  imageRepositories?: string[];
}

/** Options of {@link DesiredVersionReader}. */
export interface DesiredVersionReaderOptions {
  integrations: ScmIntegrationRegistry;
  /**
   * Credentials per repository, asked on every request. Defaults to the tokens and GitHub Apps
   * of `integrations.github`, as Backstage's GitHub URL reader uses them.
   */
  credentialsProvider?: GithubCredentialsProvider;
  logger: LoggerService;
  /**
   * Clients of the repositories' Git hosts; defaults to GitHub's through `integrations` and
   * `credentialsProvider`.
   */
  repoClients?: GitopsRepoClientFactory;
  /** Where versions live, asked in order; defaults to the built-in locators. */
  locators?: VersionLocators;
  /** Dot path of the version in Helm values, e.g. `image.tag`, for the default locators. */
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

/**
 * Reads desired versions from the GitOps repositories Applications point at, asking the version
 * locators in order, through the repository client of the repository's host. Files are read at the revision
 * Argo CD last compared (immutable, cached up to `ttlMs`) or at the tracked branch (cached
 * briefly); parsed content is cached by blob sha, so a file is parsed once whatever the revision.
 * Every cache is an LRU cache bounded by `cacheLimits`.
 */
export class DesiredVersionReader {
  readonly #options: DesiredVersionReaderOptions;
  readonly #repoClients: GitopsRepoClientFactory;
  readonly #locators: VersionLocators;
  readonly #clients = new Map<string, Promise<GitopsRepoClient>>();
  readonly #caches: GitReadCaches;
  readonly #inflight = new Map<string, Promise<DesiredVersion>>();
  readonly #fileReads = new Map<string, Promise<ReadFile | undefined>>();
  #upstreamCalls = 0;

  constructor(options: DesiredVersionReaderOptions) {
    this.#options = options;
    this.#repoClients =
      options.repoClients ??
      createGithubRepoClientFactory({
        integrations: options.integrations,
        credentialsProvider: options.credentialsProvider,
        logger: options.logger,
      });
    this.#locators =
      options.locators ??
      new VersionLocators(
        builtinVersionLocators({ helmValuesKey: options.helmValuesKey }),
      );
    this.#caches = new GitReadCaches({
      limits: options.cacheLimits ?? DEFAULT_CACHE_LIMITS.git,
      branchTtlMs: options.branchTtlMs ?? GITOPS_CONFIG_DEFAULTS.gitBranchTtlMs,
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
    options: DesiredVersionOptions = {},
  ): DesiredVersion | undefined {
    return this.#caches.result(this.#resultKey(app, serviceNames, options));
  }

  /**
   * Where a version is, in words (`Helm values key image.tag in envs/prod/values.yaml`), by the
   * locator that found it; undefined when no installed locator has its type.
   */
  describe(source: VersionSource): string | undefined {
    try {
      const words = this.#locators
        .forLocator(source.locator)
        .describe(source.locator);
      return source.path ? `${words} in ${source.path}` : words;
    } catch {
      return undefined;
    }
  }

  /**
   * The desired version of an Application (Helm values, Kustomize image, manifest image or
   * chart pin).
   */
  desiredVersion(
    app: SlimApplication,
    serviceNames: string[],
    options: DesiredVersionOptions = {},
  ): Promise<DesiredVersion> {
    const { parent, imageRepositories } = options;
    const key = this.#resultKey(app, serviceNames, options);
    const cached = this.#caches.result(key);
    if (cached) return Promise.resolve(cached);
    const failed = this.#caches.failure(key);
    if (failed) return Promise.reject(failed.error);
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.#locate(app.sources, serviceNames, imageRepositories, {
        name: app.metadata.name,
        namespace: app.metadata.namespace,
        applicationSet: app.applicationSet,
        parent: parent && {
          name: parent.metadata.name,
          sources: parent.sources,
        },
      })
        .then(value => {
          const pinned = app.sources.every(
            s =>
              isPackagedChart(s) || (s.revision && COMMIT_SHA.test(s.revision)),
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

  /**
   * The merged Helm values of an Application's Helm source, read through the same caches as its
   * desired version; undefined when no source is rendered by Helm.
   */
  async helmValues(
    app: SlimApplication,
  ): Promise<MergedHelmValues | undefined> {
    const source =
      app.sources.find(s => s.sourceType === 'Helm') ??
      app.sources.find(
        s => !s.sourceType && (s.chart || s.valueFiles || s.helmValues),
      );
    if (!source) return undefined;
    return mergedHelmValues(source, {
      sources: app.sources,
      readFile: (s, path, options) =>
        this.#readFile(s, path, !!options?.optional),
    });
  }

  #resultKey(
    app: SlimApplication,
    serviceNames: string[],
    { parent, imageRepositories }: DesiredVersionOptions,
  ) {
    const sourceKey = (s: SlimSource) => [
      s.repoURL,
      s.path,
      s.targetRevision,
      s.revision,
      s.chart,
      s.valueFiles,
      s.kustomizeImages,
      s.ref,
      s.ignoreMissingValueFiles,
      s.helmParameters,
      s.helmFileParameters,
      s.helmValues,
      s.helmOverridesOmitted,
      s.directoryRecurse,
      // the same path is read differently as plain manifests than as a plugin's input
      s.sourceType,
    ];
    return JSON.stringify([
      app.sources.map(sourceKey),
      serviceNames,
      app.metadata.name,
      app.applicationSet,
      parent?.metadata.name,
      parent?.sources.map(sourceKey),
      imageRepositories,
    ]);
  }

  #locate(
    sources: SlimSource[],
    serviceNames: string[],
    imageRepositories?: string[],
    application?: VersionReadApplication,
  ): Promise<DesiredVersion> {
    return this.#locators.read({
      sources,
      serviceNames,
      imageRepositories,
      readFile: (source, path, options) =>
        this.#readFile(source, path, !!options?.optional),
      application,
      listFiles: (source, path, options) =>
        this.#listFiles(source, path, !!options?.recursive),
    });
  }

  /** Lists a directory of a source at the revision its files are read at, cached as files are. */
  async #listFiles(
    source: SlimSource,
    path: string,
    recursive: boolean,
  ): Promise<string[] | undefined> {
    const ref = this.#refOf(source);
    const key = `${source.repoURL}@${ref ?? 'HEAD'}:${path}:${
      recursive ? 'recursive' : 'flat'
    }`;
    const cached = this.#caches.listing(key);
    if (cached) return cached.files;
    const client = await this.#client(source.repoURL);
    if (!client.listFiles) {
      return undefined;
    }
    this.#upstreamCalls++;
    const files = await client.listFiles(path, ref, {
      recursive,
      signal: AbortSignal.timeout(
        this.#options.timeoutMs ?? GITOPS_CONFIG_DEFAULTS.gitTimeoutMs,
      ),
    });
    this.#caches.setListing(key, files, !!ref && COMMIT_SHA.test(ref));
    return files;
  }

  #refOf(source: SlimSource): string | undefined {
    if (source.revision && COMMIT_SHA.test(source.revision)) {
      return source.revision;
    }
    if (source.targetRevision && source.targetRevision !== 'HEAD') {
      return source.targetRevision;
    }
    return undefined;
  }

  #readFile(
    source: SlimSource,
    path: string,
    optional: boolean,
  ): Promise<ReadFile | undefined> {
    const ref = this.#refOf(source);
    const key = `${source.repoURL}@${ref ?? 'HEAD'}:${path}`;
    const cached = this.#caches.file(key);
    if (cached) return Promise.resolve(cached);
    if (optional && this.#caches.isMissing(key)) {
      return Promise.resolve(undefined);
    }
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
      const file = await client.getFile(path, ref, {
        signal: AbortSignal.timeout(
          this.#options.timeoutMs ?? GITOPS_CONFIG_DEFAULTS.gitTimeoutMs,
        ),
      });
      if (!file) {
        if (optional) {
          this.#caches.setMissing(key, !!ref && COMMIT_SHA.test(ref));
          return undefined;
        }
        throw Object.assign(new Error(`${path} not found`), { status: 404 });
      }
      return this.#caches.setFile(
        key,
        {
          blobSha: file.blobSha,
          url: file.url ?? `${repository.webUrl}/blob/${ref ?? 'HEAD'}/${path}`,
          pinned: !!ref && COMMIT_SHA.test(ref),
          path,
        },
        () => file.content,
        this.#options.yamlLimits,
      );
    } catch (error) {
      throw fileReadError(error, {
        path,
        ref,
        repository: name,
        host: repository.host,
      });
    }
  }

  /** One client per repository, with one retry; its credentials are asked per request. */
  #client(repoUrl: string) {
    const { host, owner, repo } = parseGithubRepositoryUrl(repoUrl);
    const key = `${host}/${owner.toLowerCase()}/${repo.toLowerCase()}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = this.#repoClients.forRepo(repoUrl, { retries: 1 });
      client.catch(() => this.#clients.delete(key));
      this.#clients.set(key, client);
    }
    return client;
  }
}
