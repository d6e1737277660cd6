/** In-memory metadata of the GitHub stand-in (git data itself lives in bare repos). */
export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  description: string | null;
  private: boolean;
  defaultBranch: string;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  ownerType: 'Organization' | 'User';
}

export interface PullRecord {
  id: number;
  number: number;
  title: string;
  body: string | null;
  state: 'open' | 'closed';
  head: string;
  base: string;
  /** Head sha frozen when the PR is merged or closed. */
  headSha?: string;
  baseSha?: string;
  user: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
  labels: string[];
  requestedReviewers: string[];
  requestedTeams: string[];
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  body: string;
  user: string;
  createdAt: string;
  updatedAt: string;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface PushEvent {
  owner: string;
  repo: string;
  ref: string;
  before: string | null;
  after: string | null;
  /** api, merge, contents, git (smart HTTP push) or seed. */
  via: 'api' | 'merge' | 'contents' | 'git' | 'seed';
}

export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly documentationUrl = 'https://docs.github.com/rest',
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}
