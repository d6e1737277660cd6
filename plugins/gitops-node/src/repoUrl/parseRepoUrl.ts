import { InputError } from '@backstage/errors';

/** The owner and name of a GitHub repository. @public */
export interface GithubRepository {
  /** Host of the repository, with its port if any, e.g. `github.com`. */
  host: string;
  owner: string;
  repo: string;
  /** Web URL of the repository, without `.git` or credentials, e.g. `https://github.com/acme/gitops`. */
  webUrl: string;
  /** HTTPS clone URL, e.g. `https://github.com/acme/gitops.git`. */
  cloneUrl: string;
  /** The branch of a `/tree/<branch>` web URL, when the URL names one. */
  branch?: string;
}

// Argo CD takes three repoURL shapes (https, scp-like `git@host:org/repo`, `ssh://`); a hand
// parser for exactly those is shorter than adapting git-url-parse, which accepts far more
// shapes and keeps the credentials in its result.
const SCP_LIKE = /^([\w.-]+)@([^:/\s]+):\/?(.+)$/;

/**
 * Parses a repository URL as Applications and catalog annotations carry it
 * (`https://host/owner/repo(.git)`, `https://host/owner/repo/tree/branch`,
 * `git@host:owner/repo.git`, `ssh://git@host[:port]/owner/repo`) into the host the GitHub
 * integration is looked up by and the repository. Credentials in the URL are dropped.
 *
 * @public
 */
export function parseGithubRepositoryUrl(repoUrl: string): GithubRepository {
  const value = repoUrl.trim();
  const shown = redactUserinfo(value);
  let host: string;
  let pathname: string;
  let protocol = 'https:';
  const scp = SCP_LIKE.exec(value);
  if (scp && !value.includes('://')) {
    host = scp[2];
    pathname = scp[3];
  } else {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new InputError(`Not a repository URL: ${shown}`);
    }
    if (parsed.protocol === 'http:') {
      protocol = 'http:';
    } else if (parsed.protocol !== 'https:' && parsed.protocol !== 'ssh:') {
      throw new InputError(`Repository URL ${shown} is not https, http or ssh`);
    }
    // an ssh port is not the web port: the integration is found by host name alone
    host = parsed.protocol === 'ssh:' ? parsed.hostname : parsed.host;
    pathname = parsed.pathname;
  }
  const segments = pathname.split('/').filter(Boolean);
  let branch: string | undefined;
  if (segments.length > 3 && segments[2] === 'tree') {
    branch = decodeURIComponent(segments.slice(3).join('/'));
    segments.length = 2;
  }
  const owner = segments[0];
  const repo = segments[1]?.replace(/\.git$/, '');
  if (segments.length !== 2 || !owner || !repo) {
    throw new InputError(
      `Repository URL ${shown} does not name one repository (owner/name); expected e.g. https://github.com/acme/gitops`,
    );
  }
  const webUrl = `${protocol}//${host}/${owner}/${repo}`;
  return {
    host,
    owner,
    repo,
    webUrl,
    cloneUrl: `${webUrl}.git`,
    ...(branch ? { branch } : {}),
  };
}

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@]*)@/gi;

/**
 * Removes credentials from every URL in a text (a repoURL, an error message, an audit row):
 * `https://user:token@host/x` becomes `https://host/x`. An `ssh://` URL keeps its user name (the
 * SSH login, e.g. `git`) and loses only a password; scp-like `git@host:x` has no password.
 *
 * @public
 */
export function redactUserinfo(text: string): string {
  return text.replace(URL_USERINFO, (_match, scheme: string, userinfo) => {
    if (scheme.toLowerCase() === 'ssh://') {
      const user = String(userinfo).split(':')[0];
      return user ? `${scheme}${user}@` : scheme;
    }
    return scheme;
  });
}
