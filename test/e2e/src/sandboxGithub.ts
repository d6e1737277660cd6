import { Octokit } from '@octokit/rest';

/** A client of the sandbox's GitHub stand-in, with the token `scripts/e2e.sh` exports. */
export function sandboxGithub(): Octokit {
  return new Octokit({
    baseUrl: 'http://localhost:7480/api/v3',
    auth: process.env.GITOPS_SANDBOX_GITHUB_TOKEN ?? 'sandbox-github-token',
  });
}

/** A file of a repository of the GitHub stand-in at a ref, as text (contents API). */
export async function readRepoFile(
  github: Octokit,
  options: { owner: string; repo: string; path: string; ref?: string },
): Promise<string> {
  const { data } = await github.repos.getContent(options);
  return Buffer.from((data as { content: string }).content, 'base64').toString(
    'utf8',
  );
}
