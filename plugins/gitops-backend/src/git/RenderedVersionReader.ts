import {
  liveVersionFromImages,
  parseImageReference,
} from '@backstage-gitops/plugin-gitops-common';
import {
  CacheLimits,
  DEFAULT_CACHE_LIMITS,
  GITOPS_CONFIG_DEFAULTS,
  RENDERED_MANIFESTS_LOCATOR,
} from '@backstage-gitops/plugin-gitops-node';
import { parse } from 'yaml';
import { boundedCache, CacheStats } from '../cache/boundedCache';
import { ApplicationSource, SlimApplication } from '../sources/types';
import { DesiredVersion } from './GitReadCaches';

const COMMIT_SHA = /^[0-9a-f]{40}$/;

/** Pod templates of the workload kinds, by where each keeps its pod spec. */
export const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  // Argo Rollouts, which Argo CD users often deploy instead of a Deployment
  Rollout: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** The container and init container images of the workloads among rendered manifests. */
export function workloadImages(manifests: string[]): string[] {
  const images = new Set<string>();
  for (const manifest of manifests) {
    let object: any;
    try {
      object = parse(manifest);
    } catch {
      continue;
    }
    const path = POD_SPEC_PATHS[object?.kind];
    if (!path) continue;
    const podSpec = path.reduce((o, key) => o?.[key], object);
    for (const list of [podSpec?.initContainers, podSpec?.containers]) {
      for (const container of Array.isArray(list) ? list : []) {
        if (typeof container?.image === 'string') images.add(container.image);
      }
    }
  }
  return [...images];
}

/** Options of {@link RenderedVersionReader}. */
export interface RenderedVersionReaderOptions {
  /** The instances' sources; those with `getManifests` (Argo CD's API) are read. */
  sources: ApplicationSource[];
  /** Bound and time to live of the cache, those of `gitops.cache.git`. */
  cacheLimits?: CacheLimits['git'];
  /** How long a result at a branch (not a commit) is trusted. */
  branchTtlMs?: number;
  clock?: () => number;
}

/** Who asks for a rendered version: the Application, its instance and the service. */
export interface RenderedVersionQuery {
  instance: string;
  app: SlimApplication;
  serviceNames: string[];
  /** The entity's `gitops/image` repositories, when it names them. */
  imageRepositories?: string[];
}

/**
 * The desired version of an Application whose manifests Argo CD renders (Jsonnet, a config
 * management plugin, or plain manifests Git reading found no version in): the tag of the one
 * workload image of the service among the manifests the instance's API renders, chosen by the
 * same rule as the live image. Else no version, with a reason naming the images found, or
 * saying that the instance has no API to render them through. Results are cached per
 * Application and revision (bounded, `gitops.cache.git`'s times to live), not the manifests.
 */
export class RenderedVersionReader {
  readonly #sources: ApplicationSource[];
  readonly #results;
  readonly #inflight = new Map<string, Promise<DesiredVersion>>();
  readonly #branchTtlMs: number;
  #upstreamCalls = 0;

  constructor(options: RenderedVersionReaderOptions) {
    this.#sources = options.sources;
    const limits = options.cacheLimits ?? DEFAULT_CACHE_LIMITS.git;
    this.#branchTtlMs =
      options.branchTtlMs ?? GITOPS_CONFIG_DEFAULTS.gitBranchTtlMs;
    this.#results = boundedCache<string, DesiredVersion>({
      maxEntries: limits.maxResults,
      ttlMs: limits.ttlMs,
      clock: options.clock,
    });
  }

  /** Number of manifest requests made so far (for benchmarks and tests). */
  get upstreamCalls() {
    return this.#upstreamCalls;
  }

  cacheStats(): CacheStats {
    return this.#results.stats();
  }

  /** The cached result, without asking the instance. */
  cached(query: RenderedVersionQuery): DesiredVersion | undefined {
    return this.#results.cache.get(this.#key(query));
  }

  desiredVersion(query: RenderedVersionQuery): Promise<DesiredVersion> {
    const key = this.#key(query);
    const cached = this.#results.cache.get(key);
    if (cached) return Promise.resolve(cached);
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.#read(query)
        .then(result => {
          const revision = this.#revision(query.app);
          const pinned = !!revision && COMMIT_SHA.test(revision);
          this.#results.cache.set(
            key,
            result,
            pinned ? undefined : { ttl: this.#branchTtlMs },
          );
          return result;
        })
        .finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    return pending;
  }

  #revision(app: SlimApplication) {
    const source = app.sources[0];
    return source?.revision ?? source?.targetRevision;
  }

  #key({
    instance,
    app,
    serviceNames,
    imageRepositories,
  }: RenderedVersionQuery) {
    return JSON.stringify([
      instance,
      app.metadata.namespace,
      app.metadata.name,
      this.#revision(app),
      serviceNames,
      imageRepositories ?? [],
    ]);
  }

  async #read(query: RenderedVersionQuery): Promise<DesiredVersion> {
    const { instance, app, serviceNames, imageRepositories } = query;
    const main = app.sources.find(s => s.path) ?? app.sources[0];
    const sourceType = main?.sourceType ?? 'Directory';
    const what =
      sourceType === 'Plugin'
        ? 'a config management plugin renders'
        : 'Argo CD renders (Jsonnet or plain manifests)';
    const source = this.#sources.find(s => s.instance === instance);
    if (!source?.getManifests) {
      return {
        reason: `${what} the manifests of ${app.metadata.name} from ${
          main?.repoURL ?? 'its source'
        }, and instance ${instance} is read through Kubernetes, with no Argo CD API configured to read them through; configure the instance as type argocd (url and token), or keep the version in Helm values or a kustomization`,
      };
    }
    let manifests: string[];
    try {
      this.#upstreamCalls++;
      manifests = await source.getManifests(
        app.metadata.namespace,
        app.metadata.name,
        this.#revision(app),
      );
    } catch (error) {
      return {
        reason: `the manifests ${what} for ${
          app.metadata.name
        } could not be read from instance ${instance}: ${
          (error as Error).message
        }`,
      };
    }
    const images = workloadImages(manifests);
    if (!images.length) {
      return {
        reason: `the manifests ${what} for ${app.metadata.name} hold no workload image`,
      };
    }
    const choice = liveVersionFromImages(images, serviceNames, {
      imageRepositories,
      imagesAre: 'rendered',
    });
    if (!choice.version || !choice.image) {
      return { reason: `the manifests ${what}: ${choice.reason}` };
    }
    const ref = parseImageReference(choice.image);
    return {
      version: choice.version,
      imageRepository: ref.registry
        ? `${ref.registry}/${ref.repository}`
        : ref.repository,
      source: {
        repoUrl: main?.repoURL ?? '',
        path: main?.path ?? '',
        ref: main?.targetRevision ?? 'HEAD',
        locator: {
          type: RENDERED_MANIFESTS_LOCATOR,
          parameters: { image: choice.image, sourceType },
        },
      },
    };
  }
}
