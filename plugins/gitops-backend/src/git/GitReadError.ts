import { findCode } from '../sources/classifyError';

/** A Git read that failed, reported as a `git` source error. */
export class GitReadError extends Error {
  constructor(
    message: string,
    readonly repository: string,
    /** `timeout` when the read is still running; its result reaches a later request. */
    readonly kind: 'git' | 'timeout' = 'git',
  ) {
    super(message);
    this.name = 'GitReadError';
  }
}

/** The error of a failed file read from GitHub, saying what the person configuring can do. */
export function fileReadError(
  error: unknown,
  read: { path: string; ref?: string; repository: string; host: string },
): GitReadError {
  const { path, ref, repository, host } = read;
  const status = (error as any)?.status;
  const code = findCode(error);
  let message = `could not read ${path} from ${repository}: ${
    (error as Error).message
  }`;
  if (status === 404) {
    message = `${path} not found in ${repository} at ${
      ref ?? 'the default branch'
    }`;
  } else if (status === 401 || status === 403) {
    message = `GitHub denied reading ${repository} (${status}); check the token of integrations.github for ${host}`;
  } else if (!(error as any)?.response && code) {
    // Octokit reports a failed connection as a 500 without a response; the cause says why.
    message = `could not read ${path} from ${repository}: GitHub at ${host} is unreachable (${code})`;
  }
  return new GitReadError(message, repository);
}
