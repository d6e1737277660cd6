import type {
  GitopsPullRequest,
  GitopsRepoClient,
  GitopsRepoClientProvider,
} from '@backstage-gitops/plugin-gitops-node';
import { createHash } from 'node:crypto';

interface Commit {
  sha: string;
  treeSha: string;
  parents: string[];
  message: string;
  files: Map<string, string>;
}

interface PullRequest extends GitopsPullRequest {
  base: string;
  state: 'open' | 'closed' | 'merged';
  labels: string[];
}

const sha = (text: string) => createHash('sha1').update(text).digest('hex');

/** One repository of {@link MemoryGitHost}: branches, commits, blobs and pull requests. */
export class MemoryRepository {
  readonly branches = new Map<string, string>();
  readonly commits = new Map<string, Commit>();
  readonly blobs = new Map<string, string>();
  readonly pullRequests: PullRequest[] = [];

  constructor(files: Record<string, string>) {
    const commit = this.#commit(new Map(Object.entries(files)), [], 'init');
    this.branches.set('main', commit.sha);
  }

  /** The content of a file at a branch or commit. */
  file(path: string, ref = 'main'): string | undefined {
    return this.commits.get(this.branches.get(ref) ?? ref)?.files.get(path);
  }

  #commit(files: Map<string, string>, parents: string[], message: string) {
    files.forEach(content => this.blobs.set(sha(content), content));
    const treeSha = sha(JSON.stringify([...files].sort()));
    const commit: Commit = {
      sha: sha(`${treeSha}:${parents.join(',')}:${message}`),
      treeSha,
      parents,
      message,
      files,
    };
    this.commits.set(commit.sha, commit);
    return commit;
  }

  client(webUrl: string): GitopsRepoClient {
    const at = (ref: string) => {
      const commit = this.commits.get(this.branches.get(ref) ?? ref);
      if (!commit) throw new Error(`no ref ${ref} in ${webUrl}`);
      return commit;
    };
    const pull = (number: number) => {
      const found = this.pullRequests.find(p => p.number === number);
      if (!found) throw new Error(`no pull request ${number} in ${webUrl}`);
      return found;
    };
    return {
      webUrl,
      getDefaultBranch: async () => 'main',
      getBranchHead: async branch => {
        const commit = at(branch);
        return { commitSha: commit.sha, treeSha: commit.treeSha };
      },
      getFile: async (path, ref = 'main') => {
        const content = at(ref).files.get(path);
        return content === undefined
          ? undefined
          : {
              content,
              blobSha: sha(content),
              url: `${webUrl}/src/${ref}/${path}`,
            };
      },
      getBlob: async blobSha => {
        const content = this.blobs.get(blobSha);
        if (content === undefined) throw new Error(`no blob ${blobSha}`);
        return content;
      },
      findOpenPullRequest: async branch =>
        this.pullRequests.find(p => p.branch === branch && p.state === 'open'),
      listOpenPullRequests: async ({ branchPrefix }) =>
        this.pullRequests.filter(
          p => p.state === 'open' && p.branch.startsWith(branchPrefix),
        ),
      getPullRequest: async number => ({
        state: pull(number).state,
        headSha: this.branches.get(pull(number).branch) ?? '',
      }),
      createCommit: async ({
        baseCommitSha,
        files,
        message,
        branchHeadSha,
      }) => {
        const tree = new Map(at(baseCommitSha).files);
        files.forEach(file => tree.set(file.path, file.content));
        const parents =
          branchHeadSha && branchHeadSha !== baseCommitSha
            ? [branchHeadSha, baseCommitSha]
            : [baseCommitSha];
        return this.#commit(tree, parents, message).sha;
      },
      createBranch: async (branch, commitSha) => {
        if (this.branches.has(branch)) return 'exists';
        this.branches.set(branch, commitSha);
        return 'created';
      },
      updateBranch: async (branch, commitSha) => {
        if (!at(commitSha).parents.includes(this.branches.get(branch)!)) {
          return 'moved';
        }
        this.branches.set(branch, commitSha);
        return 'updated';
      },
      createPullRequest: async ({ branch, base, title, body }) => {
        if (
          this.pullRequests.some(p => p.branch === branch && p.state === 'open')
        ) {
          return 'exists';
        }
        const number = this.pullRequests.length + 1;
        const created: PullRequest = {
          number,
          url: `${webUrl}/pulls/${number}`,
          title,
          body,
          branch,
          base,
          state: 'open',
          labels: [],
        };
        this.pullRequests.push(created);
        return created;
      },
      updatePullRequest: async (number, { title, body }) => {
        Object.assign(pull(number), { title, body });
      },
      addLabels: async (number, labels) => {
        pull(number).labels.push(...labels);
      },
      requestReviewers: async () => {},
      comment: async () => {},
      closePullRequest: async number => {
        pull(number).state = 'closed';
      },
    };
  }
}

/** A Git host other than GitHub, in memory: `https://<host>/<owner>/<repo>`. */
export class MemoryGitHost implements GitopsRepoClientProvider {
  readonly #repositories = new Map<string, MemoryRepository>();

  constructor(readonly host: string) {}

  /** Creates a repository with files on its `main` branch; returns its URL. */
  addRepository(name: string, files: Record<string, string>): string {
    this.#repositories.set(name, new MemoryRepository(files));
    return `https://${this.host}/${name}`;
  }

  repository(name: string): MemoryRepository {
    const repository = this.#repositories.get(name);
    if (!repository) throw new Error(`no repository ${name} on ${this.host}`);
    return repository;
  }

  handles(repoUrl: string): boolean {
    return URL.canParse(repoUrl) && new URL(repoUrl).host === this.host;
  }

  async forRepo(repoUrl: string): Promise<GitopsRepoClient> {
    const name = new URL(repoUrl).pathname
      .replace(/^\//, '')
      .replace(/\.git$/, '');
    return this.repository(name).client(`https://${this.host}/${name}`);
  }
}
