import { GithubClient } from '@backstage-gitops/plugin-gitops-node';
import { ConflictError, InputError } from '@backstage/errors';
import { GitopsRepoLocation } from './parseGitopsRepoUrl';

type TreeEntry = { path?: string; type?: string; sha?: string };

function status(error: unknown): number | undefined {
  return (error as { status?: number })?.status;
}

function unreachable(location: GitopsRepoLocation, error: unknown): InputError {
  const slug = `${location.owner}/${location.repo}`;
  const integration = `the credentials of integrations.github for ${location.host}`;
  switch (status(error)) {
    case 404:
      return new InputError(
        `The GitOps repository ${slug} does not exist on ${location.host}, or ${integration} cannot read it: check the owner Group's gitops/repo-url annotation and that the integration's token or GitHub App has access to ${slug}`,
      );
    case 401:
      return new InputError(
        `${location.host} refused ${integration} (401 Unauthorized) while checking the GitOps repository ${slug}: renew the token or GitHub App credentials`,
      );
    case 403:
      return new InputError(
        `${location.host} forbids ${integration} to read the GitOps repository ${slug} (403 Forbidden): grant the token or GitHub App access to it`,
      );
    default:
      return new InputError(
        `Could not check the GitOps repository ${slug} on ${location.host}: ${
          (error as Error)?.message ?? error
        }`,
      );
  }
}

/**
 * Checks, reading only, that a team's GitOps repository is reachable and writable with the
 * integration's credentials and that it has no trace of the service yet: no `apps/<service>`
 * and no `clusters/<cluster>/apps/<service>.yaml`. Throws an InputError when the repository
 * cannot be used and a ConflictError when the service is already there.
 */
export async function checkGitopsRepo(options: {
  octokit: GithubClient;
  location: GitopsRepoLocation;
  service: string;
}): Promise<void> {
  const { octokit, location, service } = options;
  const { owner, repo, defaultBranch: branch } = location;
  const slug = `${owner}/${repo}`;

  let permissions: { push?: boolean } | undefined;
  try {
    const { data } = await octokit.rest.repos.get({ owner, repo });
    permissions = data.permissions;
  } catch (error) {
    throw unreachable(location, error);
  }
  // The pull request is opened from a branch pushed to this repository, not from a fork.
  if (permissions && permissions.push === false) {
    throw new InputError(
      `The credentials of integrations.github for ${location.host} can read the GitOps repository ${slug} but not push to it, so the GitOps pull request cannot be opened: give the token or GitHub App write access`,
    );
  }

  const readTree = async (treeSha: string, recursive = false) => {
    const { data } = await octokit.rest.git.getTree({
      owner,
      repo,
      tree_sha: treeSha,
      ...(recursive ? { recursive: 'true' } : {}),
    });
    return data as { tree: TreeEntry[]; truncated: boolean };
  };

  let rootTreeSha: string;
  try {
    const { data } = await octokit.rest.repos.getBranch({
      owner,
      repo,
      branch,
    });
    rootTreeSha = data.commit.commit.tree.sha;
  } catch (error) {
    // Also the answer for a repository without any commit, which has nothing to open a PR against.
    if (status(error) === 404) {
      throw new InputError(
        `The GitOps repository ${slug} has no branch '${branch}', which the pull request targets: push it, or correct the /tree/<branch> suffix of the owner Group's gitops/repo-url annotation`,
      );
    }
    throw unreachable(location, error);
  }
  const root = (await readTree(rootTreeSha)).tree;
  const dir = (name: string) =>
    root.find(entry => entry.path === name && entry.type === 'tree');

  const found: string[] = [];
  const apps = dir('apps');
  if (apps?.sha) {
    const { tree } = await readTree(apps.sha);
    if (tree.some(entry => entry.path === service)) {
      found.push(`apps/${service}`);
    }
  }
  const clusters = dir('clusters');
  if (clusters?.sha) {
    const listing = await readTree(clusters.sha, true);
    let tree = listing.tree;
    if (listing.truncated) {
      // Too many files for one listing: look into each cluster's folder on its own.
      const perCluster = await Promise.all(
        tree
          .filter(entry => entry.type === 'tree' && !entry.path?.includes('/'))
          .map(async entry => {
            const sub = await readTree(entry.sha!, true);
            return sub.tree.map(e => ({
              ...e,
              path: `${entry.path}/${e.path}`,
            }));
          }),
      );
      tree = perCluster.flat();
    }
    for (const entry of tree) {
      const match = /^([^/]+)\/apps\/([^/]+)\.ya?ml$/.exec(entry.path ?? '');
      if (entry.type === 'blob' && match && match[2] === service) {
        found.push(`clusters/${entry.path}`);
      }
    }
  }

  if (found.length) {
    throw new ConflictError(
      `The service ${service} already exists in the GitOps repository ${slug} (${found.join(
        ', ',
      )}): pick another name, or change the existing service with a pull request to ${slug}`,
    );
  }
}
