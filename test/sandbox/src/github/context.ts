import type { URL } from 'node:url';
import { readBody, Request, Response, sendJson } from '../util/http';
import type { Params } from '../util/router';
import { GitHubApiError } from './model';
import type { Shapes, GitCommitData } from './shapes';
import type { GitHubStore, RepoState } from './store';

export interface ApiRequest {
  req: Request;
  res: Response;
  url: URL;
  params: Params;
  token: string;
  /** Parsed JSON body ({} when empty). */
  body(): Promise<any>;
}

export type ApiHandler = (ctx: ApiRequest) => Promise<ApiResult | void>;

/** A JSON answer; handlers may also write to `res` themselves and return nothing. */
export interface ApiResult {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export const ok = (body: unknown, status = 200): ApiResult => ({
  status,
  body,
});

export async function parseBody(req: Request): Promise<any> {
  const raw = await readBody(req);
  if (!raw.length) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new GitHubApiError(
      400,
      'Problems parsing JSON',
      'https://docs.github.com/rest',
    );
  }
}

export function send(
  res: Response,
  result: ApiResult,
  extraHeaders: Record<string, string>,
): void {
  sendJson(res, result.status, result.body, {
    ...extraHeaders,
    ...(result.headers ?? {}),
  });
}

/** Shared helpers for the GitHub API route modules. */
export class GitHubContext {
  constructor(readonly store: GitHubStore, readonly shapes: Shapes) {}

  repo(params: Params): RepoState {
    return this.store.get(params.owner, params.repo);
  }

  async commitData(state: RepoState, sha: string): Promise<GitCommitData> {
    return (await state.git.readCommit(sha)) as GitCommitData;
  }

  /** Resolves a branch, tag or sha to a commit sha or throws 404/422 like GitHub. */
  async resolveCommit(
    state: RepoState,
    ref: string,
    docs = 'https://docs.github.com/rest/commits/commits#get-a-commit',
  ): Promise<string> {
    const sha = await state.git.resolve(ref);
    if (!sha || (await state.git.objectType(sha)) !== 'commit') {
      throw new GitHubApiError(422, `No commit found for SHA: ${ref}`, docs);
    }
    return sha;
  }

  async defaultHead(state: RepoState): Promise<string | undefined> {
    return state.git.resolve(`refs/heads/${state.record.defaultBranch}`);
  }

  validation(
    message: string,
    docs: string,
    errors?: unknown[],
  ): GitHubApiError {
    return new GitHubApiError(422, message, docs, errors);
  }
}
