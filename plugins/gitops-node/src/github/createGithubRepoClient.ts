import {
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { LoggerService } from '@backstage/backend-plugin-api';
import type { GitopsRepoClientProvider } from '../extensions/repoClients';
import {
  GitopsPullRequest,
  GitopsPullRequestStatus,
  GitopsRepoClient,
} from '../promotion/types';
import { parseGithubRepositoryUrl } from '../repoUrl';
import { createGithubClient, GithubClient } from './createGithubClient';
import { summarizeChecks } from './pullRequestChecks';

function status(error: unknown): number | undefined {
  return (error as { status?: number })?.status;
}

function alreadyExists(error: unknown): boolean {
  if (status(error) !== 422) {
    return false;
  }
  const text = JSON.stringify(
    (error as { response?: { data?: unknown } }).response?.data ?? '',
  );
  return /already exists/i.test(`${(error as Error).message} ${text}`);
}

function notFastForward(error: unknown): boolean {
  return (
    status(error) === 422 &&
    /not a fast.forward/i.test((error as Error).message ?? '')
  );
}

/**
 * A {@link GitopsRepoClient} over Octokit's git data, contents and pulls APIs: one call per
 * method (two for `createCommit`, three for an open pull request's `getPullRequest`, one per
 * page for `listOpenPullRequests`), no clone.
 *
 * @public
 */
export function createGithubRepoClient(
  octokit: GithubClient,
  repoUrl: string,
): GitopsRepoClient {
  const { owner, repo, webUrl } = parseGithubRepositoryUrl(repoUrl);
  const toPull = (pull: {
    number: number;
    html_url: string;
    title: string;
    body?: string | null;
    head: { ref: string; label?: string };
  }): GitopsPullRequest => ({
    number: pull.number,
    url: pull.html_url,
    title: pull.title,
    body: pull.body ?? '',
    branch: pull.head.ref,
  });

  const client: GitopsRepoClient = {
    webUrl,
    async getDefaultBranch() {
      const { data } = await octokit.rest.repos.get({ owner, repo });
      return data.default_branch;
    },
    async getBranchHead(branch) {
      const { data } = await octokit.rest.repos.getBranch({
        owner,
        repo,
        branch,
      });
      return {
        commitSha: data.commit.sha,
        treeSha: data.commit.commit.tree.sha,
      };
    },
    async getFile(path, ref, options) {
      try {
        const { data } = await octokit.rest.repos.getContent({
          owner,
          repo,
          path,
          ref,
          request: { signal: options?.signal },
        });
        if (Array.isArray(data) || data.type !== 'file') {
          return undefined;
        }
        // files over 1 MB come without content
        const content =
          data.content || data.size === 0
            ? Buffer.from(data.content ?? '', 'base64').toString('utf8')
            : await client.getBlob(data.sha);
        return {
          content,
          blobSha: data.sha,
          url: data.html_url ?? `${webUrl}/blob/${ref ?? 'HEAD'}/${path}`,
        };
      } catch (error) {
        if (status(error) === 404) {
          return undefined;
        }
        throw error;
      }
    },
    async getBlob(blobSha) {
      const { data } = await octokit.rest.git.getBlob({
        owner,
        repo,
        file_sha: blobSha,
      });
      return Buffer.from(
        data.content,
        data.encoding === 'base64' ? 'base64' : 'utf8',
      ).toString('utf8');
    },
    async listFiles(path, ref, options) {
      const dir = path.replace(/^\/+|\/+$/g, '');
      const request = { signal: options?.signal };
      try {
        if (!options?.recursive) {
          const { data } = await octokit.rest.repos.getContent({
            owner,
            repo,
            path: dir,
            ref,
            request,
          });
          return Array.isArray(data)
            ? data.filter(e => e.type === 'file').map(e => e.path)
            : undefined;
        }
        // one call for the whole tree of the ref, filtered to the directory
        const { data } = await octokit.rest.git.getTree({
          owner,
          repo,
          tree_sha: ref ?? (await client.getDefaultBranch()),
          recursive: 'true',
          request,
        });
        if (data.truncated) {
          throw new Error(
            `The tree of ${webUrl} at ${
              ref ?? 'the default branch'
            } is too large for one listing (GitHub truncated it)`,
          );
        }
        const prefix = dir ? `${dir}/` : '';
        const files = data.tree
          .filter(e => e.type === 'blob' && e.path?.startsWith(prefix))
          .map(e => e.path!);
        return files.length > 0 ||
          !dir ||
          data.tree.some(e => e.type === 'tree' && e.path === dir)
          ? files
          : undefined;
      } catch (error) {
        if (status(error) === 404) {
          return undefined;
        }
        throw error;
      }
    },
    async findOpenPullRequest(branch) {
      const { data } = await octokit.rest.pulls.list({
        owner,
        repo,
        state: 'open',
        head: `${owner}:${branch}`,
        per_page: 1,
      });
      return data[0] ? toPull(data[0]) : undefined;
    },
    async listOpenPullRequests({ branchPrefix }) {
      const pulls = await octokit.paginate(octokit.rest.pulls.list, {
        owner,
        repo,
        state: 'open',
        per_page: 100,
      });
      return pulls
        .filter(
          pull =>
            pull.head.ref.startsWith(branchPrefix) &&
            pull.head.label?.toLowerCase() ===
              `${owner}:${pull.head.ref}`.toLowerCase(),
        )
        .map(toPull);
    },
    async getPullRequest(number) {
      const { data } = await octokit.rest.pulls.get({
        owner,
        repo,
        pull_number: number,
      });
      let state: GitopsPullRequestStatus['state'] = 'closed';
      if (data.merged || data.merged_at) state = 'merged';
      else if (data.state === 'open') state = 'open';
      const pull: GitopsPullRequestStatus = {
        state,
        mergedAt: data.merged_at ?? undefined,
        mergeable: data.mergeable ?? undefined,
        mergeableState: data.mergeable_state,
        headSha: data.head.sha,
      };
      if (state !== 'open') {
        return pull;
      }
      const ref = data.head.sha;
      const [runs, combined] = await Promise.all([
        octokit.rest.checks.listForRef({ owner, repo, ref, per_page: 100 }),
        octokit.rest.repos.getCombinedStatusForRef({
          owner,
          repo,
          ref,
          per_page: 100,
        }),
      ]);
      return {
        ...pull,
        checks: summarizeChecks(runs.data.check_runs, combined.data.statuses),
      };
    },
    async createCommit({
      baseCommitSha,
      baseTreeSha,
      files,
      message,
      branchHeadSha,
    }) {
      const { data: tree } = await octokit.rest.git.createTree({
        owner,
        repo,
        base_tree: baseTreeSha,
        tree: files.map(file => ({
          path: file.path,
          mode: '100644' as const,
          type: 'blob' as const,
          content: file.content,
        })),
      });
      const { data: commit } = await octokit.rest.git.createCommit({
        owner,
        repo,
        message,
        tree: tree.sha,
        parents:
          branchHeadSha && branchHeadSha !== baseCommitSha
            ? [branchHeadSha, baseCommitSha]
            : [baseCommitSha],
      });
      return commit.sha;
    },
    async createBranch(branch, commitSha) {
      try {
        await octokit.rest.git.createRef({
          owner,
          repo,
          ref: `refs/heads/${branch}`,
          sha: commitSha,
        });
        return 'created';
      } catch (error) {
        if (alreadyExists(error)) {
          return 'exists';
        }
        throw error;
      }
    },
    async updateBranch(branch, commitSha) {
      try {
        await octokit.rest.git.updateRef({
          owner,
          repo,
          ref: `heads/${branch}`,
          sha: commitSha,
          force: false,
        });
        return 'updated';
      } catch (error) {
        if (notFastForward(error)) {
          return 'moved';
        }
        throw error;
      }
    },
    async createPullRequest({ branch, base, title, body }) {
      try {
        const { data } = await octokit.rest.pulls.create({
          owner,
          repo,
          head: branch,
          base,
          title,
          body,
          maintainer_can_modify: false,
        });
        return toPull(data);
      } catch (error) {
        if (alreadyExists(error)) {
          return 'exists';
        }
        throw error;
      }
    },
    async updatePullRequest(number, { title, body }) {
      await octokit.rest.pulls.update({
        owner,
        repo,
        pull_number: number,
        title,
        body,
      });
    },
    async addLabels(number, labels) {
      await octokit.rest.issues.addLabels({
        owner,
        repo,
        issue_number: number,
        labels,
      });
    },
    async requestReviewers(number, { reviewers, teamReviewers }) {
      await octokit.rest.pulls.requestReviewers({
        owner,
        repo,
        pull_number: number,
        reviewers,
        team_reviewers: teamReviewers,
      });
    },
    async comment(number, body) {
      await octokit.rest.issues.createComment({
        owner,
        repo,
        issue_number: number,
        body,
      });
    },
    async closePullRequest(number) {
      await octokit.rest.pulls.update({
        owner,
        repo,
        pull_number: number,
        state: 'closed',
      });
    },
  };
  return client;
}

/**
 * Gives repository clients authenticated through the `integrations.github` configuration
 * (tokens or GitHub Apps), for the hosts configured there.
 *
 * @public
 */
export function createGithubRepoClientFactory(options: {
  integrations: ScmIntegrationRegistry;
  /** Defaults to one built from `integrations` (tokens and GitHub Apps of the integration config). */
  credentialsProvider?: GithubCredentialsProvider;
  logger?: LoggerService;
}): GitopsRepoClientProvider {
  return {
    handles(repoUrl) {
      try {
        const { webUrl } = parseGithubRepositoryUrl(repoUrl);
        return options.integrations.github.byUrl(webUrl) !== undefined;
      } catch {
        return false;
      }
    },
    async forRepo(repoUrl, clientOptions) {
      const octokit = await createGithubClient({
        integrations: options.integrations,
        credentialsProvider: options.credentialsProvider,
        repoUrl,
        logger: options.logger,
        retries: clientOptions?.retries,
      });
      return createGithubRepoClient(octokit, repoUrl);
    },
  };
}
