import { InputError } from '@backstage/errors';
import {
  GithubRepository,
  parseGithubRepositoryUrl,
  redactUserinfo,
} from '@backstage-gitops/plugin-gitops-node';

/**
 * Where a team's GitOps repository lives.
 *
 * @public
 */
export interface GitopsRepoLocation {
  /** Host and optional port, e.g. `github.com` or `localhost:7480`. */
  host: string;
  owner: string;
  repo: string;
  /** Browsable URL without a trailing `.git`, e.g. `https://github.com/acme/payments-gitops`. */
  url: string;
  /** The branch Argo CD tracks and pull requests target. */
  defaultBranch: string;
}

/**
 * Parses the value of a Group's `gitops/repo-url` annotation (any repository URL shape, optionally
 * with `/tree/<branch>` at the end) with the suite's one repository URL parser.
 *
 * @param value - the annotation value
 * @param subject - what the value belongs to, for the error message
 */
export function parseGitopsRepoUrl(
  value: string,
  subject: string,
): GitopsRepoLocation {
  let parsed: GithubRepository;
  try {
    parsed = parseGithubRepositoryUrl(value);
  } catch (error) {
    throw new InputError(
      `${subject} has an invalid GitOps repository URL '${redactUserinfo(
        value.trim(),
      )}': ${(error as Error).message}`,
    );
  }
  return {
    host: parsed.host,
    owner: parsed.owner,
    repo: parsed.repo,
    url: parsed.webUrl,
    defaultBranch: parsed.branch ?? 'main',
  };
}
