import {
  EntityGitopsState,
  EnvironmentHistory,
  PullRequestChecks,
} from '@backstage-gitops/plugin-gitops-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { PromotionConfig } from '../config';
import { KeyedLock } from './KeyedLock';
import type { VersionLocators } from '../locators/VersionLocators';

/**
 * Reads an entity's deployment state. Implemented by the gitops backend's store.
 *
 * @public
 */
export interface GitopsStateReader {
  getEntityState(entityRef: string): Promise<EntityGitopsState>;
  /** Used to check a rollback's version; without it a rollback is refused. */
  getEnvironmentHistory?(
    entityRef: string,
    environment: string,
  ): Promise<EnvironmentHistory>;
}

/** A file read from a GitOps repository. @public */
export interface GitopsRepoFile {
  content: string;
  blobSha: string;
  /** Web URL of the file, for links. */
  url?: string;
}

/** An open pull request of a promotion branch. @public */
export interface GitopsPullRequest {
  number: number;
  url: string;
  title: string;
  body: string;
  branch: string;
}

/**
 * What GitHub says of a pull request now: its state, and while it is open whether it can be
 * merged and the checks on its head.
 *
 * @public
 */
export interface GitopsPullRequestStatus {
  /** A merged pull request is `merged`, not `closed`. */
  state: 'open' | 'closed' | 'merged';
  /** ISO time of the merge. */
  mergedAt?: string;
  /** Absent while GitHub computes it. */
  mergeable?: boolean;
  /** GitHub's `mergeable_state`, e.g. `clean`, `blocked`, `dirty`, `unknown`. */
  mergeableState?: string;
  /** The commit the pull request's branch points at, whose checks `checks` are. */
  headSha: string;
  /** Check runs and commit statuses of the head; absent once the pull request is not open. */
  checks?: PullRequestChecks;
}

/**
 * The GitHub operations a promotion needs, on one repository; every method is one API call
 * unless it says otherwise. See `createGithubRepoClient` for the Octokit implementation.
 *
 * @public
 */
export interface GitopsRepoClient {
  /** Web URL of the repository, e.g. `https://github.com/acme/payments-gitops`. */
  readonly webUrl: string;
  /** The repository's default branch, what Argo CD's `targetRevision: HEAD` follows. */
  getDefaultBranch(): Promise<string>;
  getBranchHead(
    branch: string,
  ): Promise<{ commitSha: string; treeSha: string }>;
  /**
   * `undefined` when the file does not exist at the ref (the default branch when no ref is
   * given); `signal` aborts the read.
   */
  getFile(
    path: string,
    ref?: string,
    options?: { signal?: AbortSignal },
  ): Promise<GitopsRepoFile | undefined>;
  getBlob(blobSha: string): Promise<string>;
  /**
   * Paths (from the repository root) of the files under a directory at a ref (the default branch
   * when none is given), those in its subdirectories too with `recursive`; `undefined` when the
   * directory does not exist. Used to find an Application's manifest in its app-of-apps parent's
   * directory. Optional, so clients written before it still compile: without it such manifests
   * are not searched, and a version set in the Application itself is not promoted.
   */
  listFiles?(
    path: string,
    ref?: string,
    options?: { recursive?: boolean; signal?: AbortSignal },
  ): Promise<string[] | undefined>;
  findOpenPullRequest(branch: string): Promise<GitopsPullRequest | undefined>;
  /**
   * Open pull requests of this repository's branches starting with `branchPrefix` (pull requests
   * from forks are left out). One call per 100 open pull requests of the repository.
   */
  listOpenPullRequests(options: {
    branchPrefix: string;
  }): Promise<GitopsPullRequest[]>;
  /**
   * A pull request's state, merge time and mergeability, and while it is open the checks on its
   * head: three calls for an open pull request (the pull request, the head's check runs and its
   * combined status), one otherwise.
   */
  getPullRequest(number: number): Promise<GitopsPullRequestStatus>;
  /**
   * Creates a tree and a commit on top of a base commit (two calls); returns the commit sha.
   * With `branchHeadSha` the commit also has that commit as its first parent (as GitHub's
   * "Update branch" merge does), so moving the branch from it is a fast forward.
   */
  createCommit(options: {
    baseCommitSha: string;
    baseTreeSha: string;
    files: Array<{ path: string; content: string }>;
    message: string;
    branchHeadSha?: string;
  }): Promise<string>;
  /** `exists` when the branch is already there (GitHub's 422). */
  createBranch(
    branch: string,
    commitSha: string,
  ): Promise<'created' | 'exists'>;
  /**
   * Moves a branch to a commit, never forced: only a fast forward from where the branch is.
   * `moved` when the branch is no longer at an ancestor of the commit (GitHub's 422 "not a fast
   * forward"): another writer moved it since it was read.
   */
  updateBranch(branch: string, commitSha: string): Promise<'updated' | 'moved'>;
  /** `exists` when an open pull request of that branch is already there (GitHub's 422). */
  createPullRequest(options: {
    branch: string;
    base: string;
    title: string;
    body: string;
  }): Promise<GitopsPullRequest | 'exists'>;
  updatePullRequest(
    number: number,
    options: { title: string; body: string },
  ): Promise<void>;
  addLabels(number: number, labels: string[]): Promise<void>;
  requestReviewers(
    number: number,
    options: { reviewers: string[]; teamReviewers: string[] },
  ): Promise<void>;
  comment(number: number, body: string): Promise<void>;
  closePullRequest(number: number): Promise<void>;
}

/** Options of {@link GitopsRepoClientFactory.forRepo}. @public */
export interface GitopsRepoClientOptions {
  /**
   * Retries of a failed request; reads of desired versions ask for fewer, so a page does not
   * wait long on a failing host. The client's default when absent.
   */
  retries?: number;
}

/** Gives a {@link GitopsRepoClient} for a repository URL. @public */
export interface GitopsRepoClientFactory {
  forRepo(
    repoUrl: string,
    options?: GitopsRepoClientOptions,
  ): Promise<GitopsRepoClient>;
}

/** What the promotion engine depends on. @public */
export interface PromotionDeps {
  state: GitopsStateReader;
  github: GitopsRepoClientFactory;
  /** The version locators by type; defaults to the built-in ones. */
  locators?: VersionLocators;
  config: PromotionConfig;
  /** Defaults to the system clock. */
  clock?: () => Date;
  logger?: LoggerService;
  /** Serializes writes per branch; defaults to one lock shared by the process. */
  locks?: KeyedLock;
}

/** Who asks for a promotion and what the caller already knows about the entity. @public */
export interface PromotionContext {
  /** Entity ref of the user, e.g. `user:default/jane`. */
  actor: string;
  /** The outcome of the `gitops.entity.promote` permission check. */
  permitted: boolean;
  /** The entity's owner (`spec.owner`), for the pull request. */
  owner?: string;
  /** GitHub team slug of the owner (`github.com/team-slug` of the owning Group), for reviewers. */
  ownerTeamSlug?: string;
  /**
   * The entity's `github.com/project-slug` (`owner/repo` of the service's source, on the GitOps
   * repository's GitHub host): the pull request then links the compare view of the versions.
   */
  projectSlug?: string;
}
