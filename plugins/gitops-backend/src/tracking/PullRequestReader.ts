import {
  PromotionPullRequest,
  SourceError,
  SourceErrorKind,
} from '@backstage-gitops/plugin-gitops-common';
import {
  GitopsPullRequestStatus,
  GitopsRepoClientFactory,
} from '@backstage-gitops/plugin-gitops-node';
import { classifyError } from '../sources/classifyError';

/** Reads of one batch run this many at a time. */
const CONCURRENCY = 4;

/** What one read of a pull request gave: its status, or why GitHub could not be read. */
export type PullRequestRead =
  | { url: string; status: GitopsPullRequestStatus; error?: undefined }
  | { url: string; status?: undefined; error: SourceError };

type Pull = Pick<PromotionPullRequest, 'url' | 'number'>;

/**
 * The one reader of promotion pull requests on GitHub, for the promotions list and the tracker:
 * a batch reads at most `maxReads` pull requests (the first given), a few at a time, and a status
 * read less than `ttlMs` ago is served from memory. Every read is passed to the listeners, so a
 * listing moves the tracker on too.
 */
export class PullRequestReader {
  readonly #cache = new Map<string, { at: number; read: PullRequestRead }>();
  readonly #listeners = new Set<(read: PullRequestRead) => void>();

  constructor(
    private readonly options: {
      github: GitopsRepoClientFactory;
      maxReads: number;
      ttlMs: number;
      clock?: () => number;
    },
  ) {}

  /** Hears every read from GitHub (not those served from memory); returns the unsubscribe. */
  onRead(listener: (read: PullRequestRead) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Statuses of pull requests: cached ones first, then at most `maxReads` read from GitHub in the
   * order given (the rest are left out of the answer). `fresh` skips the cache, e.g. when GitHub
   * said the pull request changed.
   */
  async read(
    pulls: Pull[],
    options: { fresh?: boolean } = {},
  ): Promise<PullRequestRead[]> {
    const now = (this.options.clock ?? Date.now)();
    const results: PullRequestRead[] = [];
    const toRead: Pull[] = [];
    for (const pull of unique(pulls)) {
      const hit = this.#cache.get(pull.url);
      if (hit && !options.fresh && now - hit.at < this.options.ttlMs) {
        results.push(hit.read);
      } else if (toRead.length < this.options.maxReads) toRead.push(pull);
    }
    const clients = new Map<
      string,
      ReturnType<GitopsRepoClientFactory['forRepo']>
    >();
    await forEachLimited(toRead, CONCURRENCY, async pull => {
      const repoUrl = repositoryOf(pull.url);
      let read: PullRequestRead;
      try {
        if (!clients.has(repoUrl)) {
          clients.set(repoUrl, this.options.github.forRepo(repoUrl));
        }
        const client = await clients.get(repoUrl)!;
        read = {
          url: pull.url,
          status: await client.getPullRequest(pull.number),
        };
        this.#cache.set(pull.url, { at: now, read });
      } catch (error) {
        const { kind, message } = describe(error, pull.url);
        read = {
          url: pull.url,
          error: {
            source: `git:${repoUrl.replace(/^[a-z]+:\/\/[^/]+\//, '')}`,
            kind,
            message,
          },
        };
      }
      results.push(read);
      this.#listeners.forEach(listener => listener(read));
    });
    for (const [url, { at }] of this.#cache) {
      if (now - at >= this.options.ttlMs) this.#cache.delete(url);
    }
    return results;
  }
}

function unique(pulls: Pull[]): Pull[] {
  const seen = new Map<string, Pull>();
  for (const pull of pulls) if (!seen.has(pull.url)) seen.set(pull.url, pull);
  return [...seen.values()];
}

function repositoryOf(pullRequestUrl: string): string {
  return pullRequestUrl.replace(/\/pull\/\d+\/?$/, '');
}

function describe(
  error: unknown,
  url: string,
): { kind: SourceErrorKind; message: string } {
  const status = (error as { status?: number })?.status;
  const target = `GitHub (pull request ${url})`;
  if (status === 401) {
    return {
      kind: 'unauthorized',
      message: `${target} rejected the token (401); check integrations.github`,
    };
  }
  if (status === 403) {
    return {
      kind: 'forbidden',
      message: `${target} denied access (403); the GitHub token or app needs read access to pull requests and checks`,
    };
  }
  if (status === 404) {
    return {
      kind: 'gone',
      message: `${target} was not found (404); the repository may have moved or the token lost access`,
    };
  }
  return classifyError(error, target);
}

async function forEachLimited<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      await fn(items[next++]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, worker),
  );
}
