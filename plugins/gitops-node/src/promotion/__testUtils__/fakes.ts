import {
  ClusterState,
  EntityGitopsState,
  EnvironmentHistory,
} from '@backstage-gitops/plugin-gitops-common';
import {
  mockClusterState,
  MockClusterStateOptions,
  mockEntityState,
} from '@backstage-gitops/plugin-gitops-common/testUtils';
import { createHash } from 'node:crypto';
import {
  GitopsPullRequest,
  GitopsRepoClient,
  GitopsStateReader,
  PromotionContext,
  PromotionDeps,
} from '../types';
import { PromotionConfig } from '../../config';

const sha = (text: string) => createHash('sha1').update(text).digest('hex');

/** An in-memory repository speaking the {@link GitopsRepoClient} interface, counting calls. */
export class FakeRepo implements GitopsRepoClient {
  readonly webUrl = 'https://github.example/acme/gitops';
  defaultBranch = 'main';
  calls: string[] = [];
  writes = 0;
  branches = new Map<string, string>();
  commits = new Map<
    string,
    {
      tree: Map<string, string>;
      parent?: string;
      /** A second parent: the branch head a commit was made on top of. */
      mergedHead?: string;
      message: string;
    }
  >();
  pulls: Array<
    GitopsPullRequest & {
      state: 'open' | 'closed' | 'merged';
      base: string;
      labels: string[];
    }
  > = [];
  comments: Array<{ number: number; body: string }> = [];
  latency = 0;

  constructor(files: Record<string, string>) {
    this.commitFiles('main', files, 'initial');
  }

  commitFiles(
    branch: string,
    files: Record<string, string>,
    message = 'change',
  ) {
    const parent = this.branches.get(branch);
    const tree = new Map(parent ? this.commits.get(parent)!.tree : []);
    for (const [path, content] of Object.entries(files)) {
      tree.set(path, content);
    }
    const commit = sha(
      `${parent}${message}${JSON.stringify([...tree])}${Math.random()}`,
    );
    this.commits.set(commit, { tree, parent, message });
    this.branches.set(branch, commit);
    return commit;
  }

  fileAt(branch: string, path: string): string | undefined {
    return this.commits.get(this.branches.get(branch)!)?.tree.get(path);
  }

  private async call(name: string, write = false) {
    this.calls.push(name);
    if (write) {
      this.writes++;
    }
    if (this.latency) {
      await new Promise(r => setTimeout(r, this.latency));
    }
  }

  async getDefaultBranch() {
    await this.call('getRepo');
    return this.defaultBranch;
  }
  async getBranchHead(branch: string) {
    await this.call('getBranchHead');
    const commitSha = this.branches.get(branch);
    if (!commitSha) {
      throw Object.assign(new Error('Branch not found'), { status: 404 });
    }
    return { commitSha, treeSha: `tree-${commitSha}` };
  }
  async getFile(path: string, ref: string) {
    await this.call('getFile');
    const commit = this.commits.get(this.branches.get(ref) ?? ref);
    const content = commit?.tree.get(path);
    return content === undefined
      ? undefined
      : { content, blobSha: sha(content) };
  }
  async listFiles(
    path: string,
    ref?: string,
    options?: { recursive?: boolean },
  ) {
    await this.call('listFiles');
    const commit = this.commits.get(
      this.branches.get(ref ?? this.defaultBranch) ?? ref ?? '',
    );
    const prefix = path ? `${path.replace(/\/+$/, '')}/` : '';
    const files = [...(commit?.tree.keys() ?? [])].filter(
      file =>
        file.startsWith(prefix) &&
        (options?.recursive || !file.slice(prefix.length).includes('/')),
    );
    return files.length > 0 ? files : undefined;
  }
  async getBlob(blobSha: string) {
    await this.call('getBlob');
    for (const commit of this.commits.values()) {
      for (const content of commit.tree.values()) {
        if (sha(content) === blobSha) {
          return content;
        }
      }
    }
    throw Object.assign(new Error('Blob not found'), { status: 404 });
  }
  async findOpenPullRequest(branch: string) {
    await this.call('findOpenPullRequest');
    const pull = this.pulls.find(
      p => p.branch === branch && p.state === 'open',
    );
    return pull ? { ...pull } : undefined;
  }
  async listOpenPullRequests(options: { branchPrefix: string }) {
    await this.call('listPulls');
    return this.pulls
      .filter(
        p => p.state === 'open' && p.branch.startsWith(options.branchPrefix),
      )
      .map(p => ({ ...p }));
  }
  async getPullRequest(number: number) {
    await this.call('getPull');
    const pull = this.pulls[number - 1];
    if (!pull) {
      throw Object.assign(new Error('Not Found'), { status: 404 });
    }
    return { state: pull.state, headSha: 'f'.repeat(40) };
  }
  async closePullRequest(number: number) {
    await this.call('closePull', true);
    this.pulls[number - 1].state = 'closed';
  }
  async createCommit(options: {
    baseCommitSha: string;
    baseTreeSha: string;
    files: Array<{ path: string; content: string }>;
    message: string;
    branchHeadSha?: string;
  }) {
    await this.call('createTree', true);
    await this.call('createCommit', true);
    const base = this.commits.get(options.baseCommitSha)!;
    const tree = new Map(base.tree);
    options.files.forEach(f => tree.set(f.path, f.content));
    const commit = sha(
      `${options.baseCommitSha}${options.branchHeadSha}${
        options.message
      }${JSON.stringify([...tree])}`,
    );
    this.commits.set(commit, {
      tree,
      parent: options.baseCommitSha,
      mergedHead: options.branchHeadSha,
      message: options.message,
    });
    return commit;
  }
  async createBranch(branch: string, commitSha: string) {
    await this.call('createRef', true);
    if (this.branches.has(branch)) {
      return 'exists' as const;
    }
    // as in Git, `a/b` and `a/b/c` cannot both be branches
    for (const other of this.branches.keys()) {
      if (branch.startsWith(`${other}/`) || other.startsWith(`${branch}/`)) {
        throw Object.assign(
          new Error(`Reference refs/heads/${branch} conflicts with ${other}`),
          { status: 422 },
        );
      }
    }
    this.branches.set(branch, commitSha);
    return 'created' as const;
  }
  /** As GitHub with `force: false`: only a fast forward. */
  async updateBranch(branch: string, commitSha: string) {
    await this.call('updateRef', true);
    if (branch === this.defaultBranch) {
      throw new Error('pushed to main');
    }
    const current = this.branches.get(branch);
    if (current && !this.isAncestor(current, commitSha)) {
      return 'moved' as const;
    }
    this.branches.set(branch, commitSha);
    return 'updated' as const;
  }
  isAncestor(ancestor: string, commit: string | undefined): boolean {
    if (!commit) return false;
    if (commit === ancestor) return true;
    const { parent, mergedHead } = this.commits.get(commit) ?? {};
    return (
      this.isAncestor(ancestor, parent) || this.isAncestor(ancestor, mergedHead)
    );
  }
  async createPullRequest(options: {
    branch: string;
    base: string;
    title: string;
    body: string;
  }) {
    await this.call('createPull', true);
    if (
      this.pulls.some(p => p.branch === options.branch && p.state === 'open')
    ) {
      return 'exists' as const;
    }
    const number = this.pulls.length + 1;
    const pull = {
      number,
      url: `${this.webUrl}/pull/${number}`,
      title: options.title,
      body: options.body,
      branch: options.branch,
      base: options.base,
      state: 'open' as const,
      labels: [] as string[],
    };
    this.pulls.push(pull);
    return { ...pull };
  }
  async updatePullRequest(
    number: number,
    options: { title: string; body: string },
  ) {
    await this.call('updatePull', true);
    Object.assign(this.pulls[number - 1], options);
  }
  async addLabels(number: number, labels: string[]) {
    await this.call('addLabels', true);
    this.pulls[number - 1].labels.push(...labels);
  }
  async requestReviewers() {
    await this.call('requestReviewers', true);
  }
  async comment(number: number, body: string) {
    await this.call('comment', true);
    this.comments.push({ number, body });
  }
}

/** A healthy checkout-api cell, see {@link mockClusterState}. */
export function cell(
  environment: string,
  cluster: string,
  overrides: Partial<MockClusterStateOptions> = {},
): ClusterState {
  return mockClusterState({ environment, cluster, ...overrides });
}

/** checkout-api's state over `clusters`, see {@link mockEntityState}. */
export function entityState(clusters: ClusterState[]): EntityGitopsState {
  return mockEntityState('component:default/checkout-api', clusters);
}

export function stateReader(
  state: EntityGitopsState,
  history: Record<string, string[]> = {},
): GitopsStateReader {
  return {
    getEntityState: async () => state,
    getEnvironmentHistory: async (
      entityRef,
      environment,
    ): Promise<EnvironmentHistory> => ({
      entityRef,
      environment,
      errors: [],
      entries: (history[environment] ?? []).map((version, id) => ({
        cluster: 'x',
        application: { instance: 'core', namespace: 'argocd', name: 'x' },
        id,
        version,
        images: [],
      })),
    }),
  };
}

export function promotionConfig(
  overrides: Partial<PromotionConfig> = {},
): PromotionConfig {
  return {
    environments: [
      { name: 'dev', clusters: ['dev-1'] },
      { name: 'staging', clusters: ['staging-1'] },
      { name: 'prod', clusters: ['prod-eu-1', 'prod-us-1'] },
    ],
    releaseOwners: [],
    allowWithoutPermissions: false,
    labels: ['promotion'],
    reviewers: [],
    teamReviewers: [],
    requestOwnerReview: false,
    waves: {},
    freezeWindows: [],
    branchPrefix: 'gitops/promote',
    appBaseUrl: 'http://portal.example',
    tracking: {
      pollIntervalMs: 60_000,
      maxReadsPerPoll: 20,
      keepFinishedMs: 24 * 3600_000,
    },
    ...overrides,
  };
}

export function deps(
  repo: FakeRepo,
  state: GitopsStateReader,
  config: PromotionConfig = promotionConfig(),
): PromotionDeps {
  return {
    state,
    github: { forRepo: async () => repo },
    config,
    clock: () => new Date('2025-06-04T10:00:00Z'),
  };
}

/** A promotion by an owner of checkout-api: what most tests promote as. */
export const ownerContext: PromotionContext = {
  actor: 'user:default/jane',
  permitted: true,
  owner: 'group:default/payments',
};
