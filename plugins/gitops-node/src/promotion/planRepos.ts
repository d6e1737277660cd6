import { GitopsRepoClient, GitopsRepoClientFactory } from './types';

/**
 * Argo CD's names for "the repository's default branch": `targetRevision: HEAD`, or none at all.
 * Neither can be a pull request's base, so they are resolved through the repository.
 */
export function tracksDefaultBranch(ref: string | undefined): boolean {
  return !ref || ref.trim() === '' || ref === 'HEAD';
}

/**
 * The repository reads of one plan, each made once: the client of a repository, its default
 * branch and the head of a branch.
 */
export class PlanRepos {
  private readonly clients = new Map<string, Promise<GitopsRepoClient>>();
  private readonly defaultBranches = new Map<string, Promise<string>>();
  private readonly heads = new Map<
    string,
    Promise<{ commitSha: string; treeSha: string }>
  >();

  constructor(private readonly github: GitopsRepoClientFactory) {}

  client(repoUrl: string): Promise<GitopsRepoClient> {
    return cached(this.clients, repoUrl, () => this.github.forRepo(repoUrl));
  }

  /** The branch a source's `ref` names: the default branch for `HEAD` or an empty ref. */
  async baseBranch(repoUrl: string, ref: string | undefined): Promise<string> {
    if (!tracksDefaultBranch(ref)) {
      return ref!;
    }
    return cached(this.defaultBranches, repoUrl, async () =>
      (await this.client(repoUrl)).getDefaultBranch(),
    );
  }

  head(
    repoUrl: string,
    branch: string,
  ): Promise<{ commitSha: string; treeSha: string }> {
    return cached(this.heads, `${repoUrl}#${branch}`, async () =>
      (await this.client(repoUrl)).getBranchHead(branch),
    );
  }
}

function cached<T>(
  map: Map<string, Promise<T>>,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  let value = map.get(key);
  if (!value) {
    value = load();
    map.set(key, value);
  }
  return value;
}
