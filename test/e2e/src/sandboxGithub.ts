import { Octokit } from '@octokit/rest';

/** A client of the sandbox's GitHub stand-in, with the token `scripts/e2e.sh` exports. */
export function sandboxGithub(): Octokit {
  return new Octokit({
    baseUrl: 'http://localhost:7480/api/v3',
    auth: process.env.GITOPS_SANDBOX_GITHUB_TOKEN ?? 'sandbox-github-token',
  });
}
