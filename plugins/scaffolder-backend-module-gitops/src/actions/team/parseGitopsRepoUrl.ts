import { InputError } from '@backstage/errors';

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
 * Parses the value of a Group's `gitops/repo-url` annotation: `<scheme>://<host>/<owner>/<repo>`,
 * optionally with `.git` or `/tree/<branch>` at the end.
 *
 * @param value - the annotation value
 * @param subject - what the value belongs to, for the error message
 */
export function parseGitopsRepoUrl(
  value: string,
  subject: string,
): GitopsRepoLocation {
  let parsed: URL;
  try {
    parsed = new URL(value.trim());
  } catch {
    throw new InputError(
      `${subject} has an invalid GitOps repository URL '${value}'; expected e.g. https://github.com/acme/team-gitops`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new InputError(
      `${subject} has a GitOps repository URL '${value}' that is not http(s)`,
    );
  }
  const segments = parsed.pathname.split('/').filter(Boolean);
  let defaultBranch = 'main';
  if (segments.length > 3 && segments[2] === 'tree') {
    defaultBranch = segments.slice(3).join('/');
    segments.length = 2;
  }
  if (segments.length !== 2) {
    throw new InputError(
      `${subject} has a GitOps repository URL '${value}' that does not name one repository; expected <host>/<owner>/<repo>`,
    );
  }
  const owner = segments[0];
  const repo = segments[1].replace(/\.git$/, '');
  return {
    host: parsed.host,
    owner,
    repo,
    url: `${parsed.protocol}//${parsed.host}/${owner}/${repo}`,
    defaultBranch,
  };
}
