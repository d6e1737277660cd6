import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import {
  parseImageReference,
  VersionSource,
} from '@backstage-gitops/plugin-gitops-common';
import {
  checkYamlLimits,
  createGithubClient,
  GithubClient,
  parseGithubRepositoryUrl,
  YamlLimits,
} from '@backstage-gitops/plugin-gitops-node';
import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { SlimApplication, SlimSource } from '../sources/types';
import { findCode } from '../sources/classifyError';

/** What Git says an Application should run. */
export interface DesiredVersion {
  version?: string;
  source?: VersionSource;
}

/** A Git read that failed, reported as a `git` source error. */
export class GitReadError extends Error {
  constructor(
    message: string,
    readonly repository: string,
    /** `timeout` when the read is still running; its result reaches a later request. */
    readonly kind: 'git' | 'timeout' = 'git',
  ) {
    super(message);
    this.name = 'GitReadError';
  }
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
  /** Dot path of the version in Helm values, e.g. `image.tag`. */
  helmValuesKey: string;
  /** How long a file read at a branch (not a commit) is trusted. */
  branchTtlMs?: number;
  timeoutMs?: number;
  /** Files beyond these are refused before parsing (a `git` error naming the limit). */
  yamlLimits?: YamlLimits;
}

interface FileEntry {
  blobSha: string;
  url?: string;
  expiresAt: number;
}

const COMMIT_SHA = /^[0-9a-f]{40}$/;

/** The file names kustomize recognises as a kustomization, in the order it looks for them. */
export const KUSTOMIZATION_FILE_NAMES = [
  'kustomization.yaml',
  'kustomization.yml',
  'Kustomization',
];

function readPath(document: unknown, keyPath: string): string | undefined {
  let value: any = document;
  for (const key of keyPath.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = value[key];
  }
  return value === undefined || value === null || typeof value === 'object'
    ? undefined
    : String(value);
}

/** How long a failed read is answered from memory before Git is asked again. */
const FAILURE_TTL_MS = 30_000;

/**
 * Reads desired versions from the GitOps repositories Applications point at, through the GitHub
 * API with the integration configured for the repository's host. Files are read at the revision
 * Argo CD last compared (immutable, cached for good) or at the tracked branch (cached briefly);
 * parsed content is cached by blob sha, so a file is parsed once whatever the revision.
 */
export class DesiredVersionReader {
  readonly #options: DesiredVersionReaderOptions;
  readonly #credentialsProvider: GithubCredentialsProvider;
  readonly #clients = new Map<string, Promise<GithubClient>>();
  readonly #files = new Map<string, FileEntry>();
  readonly #blobs = new Map<string, unknown>();
  readonly #inflight = new Map<string, Promise<DesiredVersion>>();
  readonly #results = new Map<
    string,
    { value: DesiredVersion; expiresAt: number }
  >();
  readonly #failures = new Map<string, { error: unknown; expiresAt: number }>();
  #upstreamCalls = 0;

  constructor(options: DesiredVersionReaderOptions) {
    this.#options = options;
    this.#credentialsProvider =
      options.credentialsProvider ??
      DefaultGithubCredentialsProvider.fromIntegrations(options.integrations);
  }

  /** Number of GitHub requests made so far (for benchmarks and tests). */
  get upstreamCalls() {
    return this.#upstreamCalls;
  }

  /** The cached desired version of an Application, without reading Git. */
  cached(
    app: SlimApplication,
    serviceNames: string[],
  ): DesiredVersion | undefined {
    const hit = this.#results.get(this.#resultKey(app, serviceNames));
    return hit && hit.expiresAt > Date.now() ? hit.value : undefined;
  }

  /** The desired version of an Application (Helm values, Kustomize image or chart pin). */
  desiredVersion(
    app: SlimApplication,
    serviceNames: string[],
  ): Promise<DesiredVersion> {
    const key = this.#resultKey(app, serviceNames);
    const cached = this.cached(app, serviceNames);
    if (cached) return Promise.resolve(cached);
    const failed = this.#failures.get(key);
    if (failed && failed.expiresAt > Date.now()) {
      return Promise.reject(failed.error);
    }
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.#locate(app.sources, serviceNames)
        .then(value => {
          const pinned = app.sources.every(
            s => s.chart || (s.revision && COMMIT_SHA.test(s.revision)),
          );
          this.#results.set(key, {
            value,
            expiresAt:
              Date.now() + (pinned ? Number.POSITIVE_INFINITY : this.#ttl()),
          });
          return value;
        })
        .catch(error => {
          // a failing read is retried after a while, not on every page view
          this.#failures.set(key, {
            error,
            expiresAt: Date.now() + Math.min(this.#ttl(), FAILURE_TTL_MS),
          });
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

  #ttl() {
    return this.#options.branchTtlMs ?? 60_000;
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

    const imageOverride = this.#kustomizeOverride(main, serviceNames);
    if (imageOverride) return imageOverride;

    const valueFiles = main.valueFiles ?? [];
    if (valueFiles.length > 0) {
      // later value files override earlier ones, so read from the last
      for (const file of [...valueFiles].reverse()) {
        const { source, path } = this.#resolveValueFile(file, main, sources);
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
      const kustomized = this.#kustomizeTag(
        this.#blobs.get(file.blobSha),
        serviceNames,
      );
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

  #resolveValueFile(file: string, main: SlimSource, sources: SlimSource[]) {
    const ref = /^\$([^/]+)\/(.*)$/.exec(file);
    if (ref) {
      const source = sources.find(s => s.ref === ref[1]) ?? main;
      return { source, path: posix.normalize(ref[2]) };
    }
    return {
      source: main,
      path: posix.normalize(posix.join(main.path ?? '', file)),
    };
  }

  #kustomizeOverride(
    source: SlimSource,
    serviceNames: string[],
  ): DesiredVersion | undefined {
    for (const image of source.kustomizeImages ?? []) {
      const target = image.includes('=') ? image.split('=')[1] : image;
      const ref = parseImageReference(target);
      const original = image.includes('=')
        ? parseImageReference(image.split('=')[0])
        : ref;
      if (
        ref.tag &&
        (serviceNames.includes(ref.name) ||
          serviceNames.includes(original.name))
      ) {
        return {
          version: ref.tag,
          source: {
            repoUrl: source.repoURL,
            path: source.path ?? '',
            ref: source.targetRevision ?? 'HEAD',
            locator: { type: 'kustomize-image', image: original.repository },
          },
        };
      }
    }
    return undefined;
  }

  #kustomizeTag(
    document: any,
    serviceNames: string[],
  ): { value: string; image: string } | undefined {
    const images: any[] = Array.isArray(document?.images)
      ? document.images
      : [];
    const named = (i: any) =>
      [i?.name, i?.newName]
        .filter((n): n is string => typeof n === 'string')
        .some(n => serviceNames.includes(parseImageReference(n).name));
    const image =
      images.find(named) ?? (images.length === 1 ? images[0] : undefined);
    if (!image?.newTag) return undefined;
    return { value: String(image.newTag), image: String(image.name) };
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
    const picked = pick(this.#blobs.get(file.blobSha));
    if (picked === undefined) return undefined;
    return typeof picked === 'string'
      ? { value: picked, blobSha: file.blobSha, url: file.url }
      : { ...(picked as any), blobSha: file.blobSha, url: file.url };
  }

  async #readFile(
    source: SlimSource,
    path: string,
    optional: boolean,
  ): Promise<FileEntry | undefined> {
    let ref: string | undefined;
    if (source.revision && COMMIT_SHA.test(source.revision)) {
      ref = source.revision;
    } else if (source.targetRevision && source.targetRevision !== 'HEAD') {
      ref = source.targetRevision;
    }
    const key = `${source.repoURL}@${ref ?? 'HEAD'}:${path}`;
    const cached = this.#files.get(key);
    if (cached && cached.expiresAt > Date.now()) return cached;

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
      if (!this.#blobs.has(data.sha)) {
        const content = Buffer.from(data.content ?? '', 'base64').toString(
          'utf8',
        );
        checkYamlLimits(content, path, this.#options.yamlLimits);
        this.#blobs.set(data.sha, parseYaml(content));
      }
      const entry: FileEntry = {
        blobSha: data.sha,
        url:
          data.html_url ?? `${repository.webUrl}/blob/${ref ?? 'HEAD'}/${path}`,
        expiresAt:
          ref && COMMIT_SHA.test(ref)
            ? Number.POSITIVE_INFINITY
            : Date.now() + this.#ttl(),
      };
      this.#files.set(key, entry);
      return entry;
    } catch (error) {
      const status = (error as any)?.status;
      const code = findCode(error);
      if (optional && status === 404) return undefined;
      let message = `could not read ${path} from ${name}: ${
        (error as Error).message
      }`;
      if (status === 404) {
        message = `${path} not found in ${name} at ${
          ref ?? 'the default branch'
        }`;
      } else if (status === 401 || status === 403) {
        message = `GitHub denied reading ${name} (${status}); check the token of integrations.github for ${repository.host}`;
      } else if (!(error as any)?.response && code) {
        // Octokit reports a failed connection as a 500 without a response; the cause says why.
        message = `could not read ${path} from ${name}: GitHub at ${repository.host} is unreachable (${code})`;
      }
      throw new GitReadError(message, name);
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
