import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { parseGithubRepositoryUrl, redactUserinfo } from '../repoUrl';

// The plugins are typed against the root @octokit/core, @octokit/rest against its own copy, so
// the composed class is typed as plain Octokit: callers only use the REST methods.
const GitopsOctokit: typeof Octokit = Octokit.plugin(
  ...([retry, throttling] as unknown as Parameters<typeof Octokit.plugin>),
);

interface ThrottledRequest {
  method: string;
  url: string;
}

/**
 * 4xx answers are final: retrying them only repeats the failure (and a 404 is how an optional
 * file says it is absent). 408 and 429 are transient; the throttling plugin handles rate limits.
 */
const DO_NOT_RETRY = Array.from({ length: 100 }, (_, i) => 400 + i).filter(
  status => status !== 408 && status !== 429,
);

/**
 * The longest `retry-after` of a secondary rate limit that a request waits out (once), rather
 * than failing: GitHub asks for a minute when it names no time, and a promotion is a user waiting.
 */
const MAX_SECONDARY_RATE_LIMIT_WAIT_S = 60;

type OctokitRequest = ((options: any) => Promise<any>) & {
  endpoint: { merge(route: unknown, parameters?: unknown): any };
};

/**
 * An Octokit auth strategy asking the credentials provider on every request, for the repository
 * the request is about: GitHub App installation tokens expire and differ per organization, so a
 * token read once when the client was made would not do.
 */
function credentialsAuth(options: {
  credentialsProvider: GithubCredentialsProvider;
  host: string;
  fallbackUrl: string;
}) {
  const urlOf = (parameters: Record<string, unknown>) =>
    typeof parameters.owner === 'string'
      ? `https://${options.host}/${parameters.owner}${
          typeof parameters.repo === 'string' ? `/${parameters.repo}` : ''
        }`
      : options.fallbackUrl;
  const auth = async () => ({ type: 'token' as const });
  return Object.assign(auth, {
    hook: async (
      request: OctokitRequest,
      route: unknown,
      parameters?: Record<string, unknown>,
    ) => {
      const endpoint = request.endpoint.merge(route, parameters);
      const { headers } = await options.credentialsProvider.getCredentials({
        url: urlOf(endpoint),
      });
      endpoint.headers = { ...endpoint.headers, ...headers };
      return request(endpoint);
    },
  });
}

/** An Octokit client with the retry and throttling plugins. @public */
export type GithubClient = Octokit;

/** Options of {@link createGithubClient}. @public */
export interface CreateGithubClientOptions {
  integrations: ScmIntegrationRegistry;
  /** Any URL of the repository (clone URL, web URL or file URL); picks the integration by host. */
  repoUrl: string;
  /** Defaults to one built from `integrations` (tokens and GitHub Apps of the integration config). */
  credentialsProvider?: GithubCredentialsProvider;
  logger?: LoggerService;
  /** Retries of failed requests (5xx, network; never other 4xx). Defaults to 2. */
  retries?: number;
}

/**
 * Creates an Octokit client for the GitHub (or GitHub Enterprise) host of a repository URL, with
 * the API base URL of the matching `integrations.github` entry and, on every request, the
 * credentials of that entry for the repository asked about (token or GitHub App). Retries
 * transient failures and waits out rate limits once (a secondary rate limit only when it asks
 * for at most a minute).
 *
 * @public
 */
export async function createGithubClient(
  options: CreateGithubClientOptions,
): Promise<GithubClient> {
  const { integrations, repoUrl, logger } = options;
  // SSH-form URLs name the host the integration is configured for, but not as an https URL
  const { webUrl } = parseGithubRepositoryUrl(repoUrl);
  const integration = integrations.github.byUrl(webUrl);
  if (!integration) {
    throw new InputError(
      `No GitHub integration matches ${redactUserinfo(
        repoUrl,
      )}; add its host under integrations.github in app-config.yaml`,
    );
  }
  const credentialsProvider =
    options.credentialsProvider ??
    DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  return new GitopsOctokit({
    baseUrl: integration.config.apiBaseUrl,
    authStrategy: credentialsAuth,
    auth: {
      credentialsProvider,
      host: integration.config.host,
      fallbackUrl: webUrl,
    },
    retry: { retries: options.retries ?? 2, doNotRetry: DO_NOT_RETRY },
    log: {
      debug: () => {},
      info: () => {},
      warn: (message: string) => logger?.warn(message),
      error: (message: string) => logger?.error(message),
    },
    throttle: {
      onRateLimit: (
        retryAfter: number,
        requestOptions: ThrottledRequest,
        _octokit: unknown,
        retryCount: number,
      ) => {
        logger?.warn(
          `GitHub rate limit hit for ${requestOptions.method} ${requestOptions.url}, retry after ${retryAfter}s`,
        );
        return retryCount < 1;
      },
      onSecondaryRateLimit: (
        retryAfter: number,
        requestOptions: ThrottledRequest,
        _octokit: unknown,
        retryCount: number,
      ) => {
        const wait =
          retryCount < 1 && retryAfter <= MAX_SECONDARY_RATE_LIMIT_WAIT_S;
        logger?.warn(
          `GitHub secondary rate limit hit for ${requestOptions.method} ${
            requestOptions.url
          }, retry after ${retryAfter}s; ${
            wait ? 'waiting once' : 'giving up'
          }`,
        );
        return wait;
      },
    },
  });
}
