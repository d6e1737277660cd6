import {
  PromotionPullRequest,
  PromotionRecord,
  SourceError,
  SourceErrorKind,
} from '@backstage-gitops/plugin-gitops-common';
import { GitopsRepoClientFactory } from '@backstage-gitops/plugin-gitops-node';
import { LoggerService } from '@backstage/backend-plugin-api';
import { classifyError } from '../sources/classifyError';
import { PromotionAuditStore } from './PromotionAuditStore';

/** At most this many pull requests are read from GitHub per listing. */
export const MAX_PULL_REQUEST_READS = 20;
const CONCURRENCY = 4;

/**
 * Brings the pull request states of an entity's audit up to date: the pull requests recorded as
 * open are read from GitHub (the newest first, at most {@link MAX_PULL_REQUEST_READS}, a few at a
 * time), and a new state is stored. A pull request that cannot be read keeps its stored state
 * and is reported in `errors`.
 */
export async function refreshPullRequestStates(options: {
  entityRef: string;
  items: PromotionRecord[];
  github: GitopsRepoClientFactory;
  audit: PromotionAuditStore;
  logger?: LoggerService;
  maxReads?: number;
}): Promise<{ items: PromotionRecord[]; errors: SourceError[] }> {
  const { entityRef, items, github, audit, logger } = options;
  const open = new Map<string, PromotionPullRequest>();
  for (const pull of items.flatMap(i => i.pullRequests)) {
    if (pull.state === 'open' && !open.has(pull.url)) {
      open.set(pull.url, pull);
    }
  }
  const toRead = [...open.values()].slice(
    0,
    options.maxReads ?? MAX_PULL_REQUEST_READS,
  );
  if (toRead.length === 0) {
    return { items, errors: [] };
  }

  const clients = new Map<
    string,
    ReturnType<GitopsRepoClientFactory['forRepo']>
  >();
  const states = new Map<string, PromotionPullRequest['state']>();
  const errors: SourceError[] = [];
  await forEachLimited(toRead, CONCURRENCY, async pull => {
    const repoUrl = repositoryOf(pull.url);
    try {
      if (!clients.has(repoUrl)) {
        clients.set(repoUrl, github.forRepo(repoUrl));
      }
      const client = await clients.get(repoUrl)!;
      states.set(pull.url, await client.getPullRequestState(pull.number));
    } catch (error) {
      const { kind, message } = describe(error, pull.url);
      errors.push({
        source: `git:${repoUrl.replace(/^[a-z]+:\/\/[^/]+\//, '')}`,
        kind,
        message: `${message}; showing the state recorded at the attempt`,
      });
    }
  });

  const changed = new Map([...states].filter(([, state]) => state !== 'open'));
  if (changed.size > 0) {
    try {
      await audit.updatePullRequestStates(entityRef, changed);
    } catch (error) {
      // the states read are still shown; the next listing stores them
      logger?.warn(
        `Could not store pull request states of ${entityRef}: ${error}`,
      );
    }
  }
  return {
    items: items.map(item => ({
      ...item,
      pullRequests: item.pullRequests.map(pull => {
        const state = changed.get(pull.url);
        return pull.state === 'open' && state ? { ...pull, state } : pull;
      }),
    })),
    errors,
  };
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
      message: `${target} denied access (403); the GitHub token or app needs read access to pull requests`,
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
