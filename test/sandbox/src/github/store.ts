import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { GitRepo, Signature } from './gitRepo';
import {
  CommentRecord,
  GitHubApiError,
  LabelRecord,
  PullRecord,
  PushEvent,
  RepoRecord,
} from './model';

const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

interface RepoState {
  record: RepoRecord;
  git: GitRepo;
  pulls: PullRecord[];
  comments: CommentRecord[];
  labels: LabelRecord[];
  writes: number;
}

/**
 * The GitHub stand-in's data: repositories (bare git repos under `root`) and
 * their pull requests, comments and labels. Emits `push` ({@link PushEvent})
 * whenever a branch moves, whoever moved it.
 */
export class GitHubStore extends EventEmitter {
  private readonly repos = new Map<string, RepoState>();
  private nextId = 1000;
  readonly organizations = new Set<string>();
  /** The login the API acts as. */
  readonly botLogin = 'sandbox-bot';

  constructor(readonly root: string) {
    super();
    this.setMaxListeners(0);
  }

  private key(owner: string, repo: string) {
    return `${owner}/${repo}`.toLowerCase();
  }

  gitdir(owner: string, repo: string): string {
    return path.join(this.root, owner, `${repo}.git`);
  }

  newId(): number {
    return this.nextId++;
  }

  async createRepo(args: {
    owner: string;
    name: string;
    description?: string | null;
    private?: boolean;
    defaultBranch?: string;
    ownerType?: 'Organization' | 'User';
  }): Promise<RepoState> {
    if (this.repos.has(this.key(args.owner, args.name))) {
      throw new GitHubApiError(
        422,
        'Repository creation failed.',
        'https://docs.github.com/rest/repos/repos#create-an-organization-repository',
        [
          {
            resource: 'Repository',
            code: 'custom',
            field: 'name',
            message: 'name already exists on this account',
          },
        ],
      );
    }
    const gitdir = this.gitdir(args.owner, args.name);
    fs.rmSync(gitdir, { recursive: true, force: true });
    const git = await GitRepo.init(gitdir, args.defaultBranch ?? 'main');
    const now = nowIso();
    const state: RepoState = {
      record: {
        id: this.newId(),
        owner: args.owner,
        name: args.name,
        description: args.description ?? null,
        private: args.private ?? false,
        defaultBranch: args.defaultBranch ?? 'main',
        createdAt: now,
        updatedAt: now,
        pushedAt: now,
        ownerType:
          args.ownerType ??
          (this.organizations.has(args.owner) ? 'Organization' : 'User'),
      },
      git,
      pulls: [],
      comments: [],
      labels: [],
      writes: 0,
    };
    this.repos.set(this.key(args.owner, args.name), state);
    return state;
  }

  /** Deletes every repository (on disk too) and its metadata. */
  clear(): void {
    for (const state of this.repos.values())
      fs.rmSync(state.git.gitdir, { recursive: true, force: true });
    this.repos.clear();
    this.organizations.clear();
  }

  find(owner: string, repo: string): RepoState | undefined {
    return this.repos.get(this.key(owner, repo.replace(/\.git$/, '')));
  }

  get(owner: string, repo: string): RepoState {
    const state = this.find(owner, repo);
    if (!state)
      throw new GitHubApiError(
        404,
        'Not Found',
        'https://docs.github.com/rest/repos/repos#get-a-repository',
      );
    return state;
  }

  list(owner?: string): RepoState[] {
    return [...this.repos.values()].filter(
      r => !owner || r.record.owner.toLowerCase() === owner.toLowerCase(),
    );
  }

  countWrite(state: RepoState, n = 1): void {
    state.writes += n;
  }

  /** Writes per repository (`owner/name`). */
  writes(): Record<string, number> {
    return Object.fromEntries(
      [...this.repos.values()].map(r => [
        `${r.record.owner}/${r.record.name}`,
        r.writes,
      ]),
    );
  }

  resetWrites(): void {
    for (const state of this.repos.values()) state.writes = 0;
  }

  /** Moves a ref and emits `push` for branches. */
  async updateRef(
    state: RepoState,
    ref: string,
    oid: string | null,
    via: PushEvent['via'],
  ): Promise<void> {
    const before = (await state.git.resolve(ref)) ?? null;
    if (oid === null) await state.git.deleteRef(ref);
    else await state.git.writeRef(ref, oid);
    this.notifyRefChange(state, ref, before, oid, via);
  }

  notifyRefChange(
    state: RepoState,
    ref: string,
    before: string | null,
    after: string | null,
    via: PushEvent['via'],
  ): void {
    if (before === after) return;
    state.record.pushedAt = nowIso();
    state.record.updatedAt = state.record.pushedAt;
    const event: PushEvent = {
      owner: state.record.owner,
      repo: state.record.name,
      ref,
      before,
      after,
      via,
    };
    this.emit('push', event);
  }

  /** Commits files onto a branch (creating it if needed), as a helper for seeding and tests. */
  async commitFiles(
    owner: string,
    repo: string,
    args: {
      branch?: string;
      message: string;
      files: Record<string, string | null>;
      author?: Signature;
      via?: PushEvent['via'];
    },
  ): Promise<string> {
    const state = this.get(owner, repo);
    const branch = args.branch ?? state.record.defaultBranch;
    // A new branch starts from the default branch, as when branching in the UI.
    const parent =
      (await state.git.resolve(`refs/heads/${branch}`)) ??
      (await state.git.resolve(`refs/heads/${state.record.defaultBranch}`));
    const baseTree = parent
      ? (await state.git.readCommit(parent)).tree
      : undefined;
    const changes = new Map<string, { oid: string } | null>();
    for (const [file, content] of Object.entries(args.files)) {
      changes.set(
        file,
        content === null
          ? null
          : { oid: await state.git.writeBlob(Buffer.from(content)) },
      );
    }
    const tree = await state.git.writeTreeWith(baseTree, changes);
    const author = args.author ?? {
      name: 'Sandbox Bot',
      email: 'sandbox-bot@acme.example',
      timestamp: Math.floor(Date.now() / 1000),
    };
    const commit = await state.git.writeCommit({
      message: args.message,
      tree,
      parents: parent ? [parent] : [],
      author,
    });
    await this.updateRef(
      state,
      `refs/heads/${branch}`,
      commit,
      args.via ?? 'api',
    );
    return commit;
  }

  pull(state: RepoState, number: number): PullRecord {
    const pull = state.pulls.find(p => p.number === number);
    if (!pull)
      throw new GitHubApiError(
        404,
        'Not Found',
        'https://docs.github.com/rest/pulls/pulls#get-a-pull-request',
      );
    return pull;
  }

  nextIssueNumber(state: RepoState): number {
    return state.pulls.length + 1;
  }
}

export type { RepoState };
