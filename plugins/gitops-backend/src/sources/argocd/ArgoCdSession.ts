import { SourceAuthError, statusOf } from '../classifyError';
import { postJson, RequestOptions } from '../httpRequest';

/** Options of {@link ArgoCdSession}. */
export interface ArgoCdSessionOptions {
  /** The API server, without a trailing slash. */
  baseUrl: string;
  username: string;
  password: string;
  /** TLS options of the instance (no Authorization header). */
  requestOptions: RequestOptions;
  timeoutMs: number;
  /**
   * Where the credentials are configured, e.g. `gitops.instances[1]` or `argocd` (the community
   * plugin's defaults), for the fix in messages.
   */
  configKey: string;
}

/** Renew no later than a minute before exp, and at 80% of a shorter lifetime. */
const RENEW_MARGIN_MS = 60_000;
const RENEW_MARGIN_SHARE = 0.2;

/** The `iat` and `exp` claims of a JWT (seconds), when it is one and carries them. */
export function readJwtTimes(token: string): { iat?: number; exp?: number } {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    return {
      iat: typeof claims?.iat === 'number' ? claims.iat : undefined,
      exp: typeof claims?.exp === 'number' ? claims.exp : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * An Argo CD session of a local account: `POST /api/v1/session` with username and password
 * gives a JWT used as the bearer token. The token is renewed before its `exp` (a token without
 * one only when the server rejects it), and a session the server refuses is a
 * {@link SourceAuthError} naming the config keys to fix.
 */
export class ArgoCdSession {
  #options: ArgoCdSessionOptions;
  #token?: string;
  /** Local time after which the token is renewed before use; undefined: only on a 401. */
  #renewAt?: number;
  #pending?: Promise<string>;

  constructor(options: ArgoCdSessionOptions) {
    this.#options = options;
  }

  /** A token to send now: the current one, or a new session's when none is left or it is due. */
  async token(): Promise<string> {
    if (
      this.#token &&
      (this.#renewAt === undefined || Date.now() < this.#renewAt)
    ) {
      return this.#token;
    }
    return this.#create();
  }

  /**
   * A new session after the server rejected `rejected` (401). A request that failed with a
   * token already replaced gets the replacement, so concurrent 401s open one session.
   */
  async renew(rejected: string): Promise<string> {
    if (this.#token && this.#token !== rejected) return this.#token;
    this.#token = undefined;
    return this.#create();
  }

  /**
   * Signs in with replaced credentials (the operator changed them in the config) from the next
   * request on; the current token is dropped.
   */
  setCredentials(credentials: { username: string; password: string }): void {
    this.#options = { ...this.#options, ...credentials };
    this.#token = undefined;
    this.#renewAt = undefined;
  }

  /** Who signs in, and where that is configured, for messages. */
  describe(): string {
    return `the session of ${this.#options.username}; check ${
      this.#options.configKey
    }.username and password`;
  }

  #create(): Promise<string> {
    this.#pending ??= this.#request().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async #request(): Promise<string> {
    const { baseUrl, username, password, requestOptions, timeoutMs } =
      this.#options;
    const requestedAt = Date.now();
    let answer: unknown;
    try {
      answer = await postJson(
        `${baseUrl}/api/v1/session`,
        { username, password },
        requestOptions,
        timeoutMs,
      );
    } catch (error) {
      const status = statusOf(error);
      // 5xx and network failures are the server's trouble, not the credentials'
      if (status === undefined || status >= 500) throw error;
      throw new SourceAuthError(
        `could not open a session as ${username} (${
          (error as Error).message
        }); check ${this.#options.configKey}.username and password`,
        status,
      );
    }
    const token = (answer as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string' || !token) {
      throw new SourceAuthError(
        `the session answer for ${username} has no token; check that ${baseUrl} is an Argo CD API server (${
          this.#options.configKey
        }.url)`,
      );
    }
    this.#token = token;
    this.#renewAt = renewalTime(token, requestedAt);
    return token;
  }
}

/**
 * When to renew a token received at `receivedAt`. Its lifetime is `exp - iat` of the server's
 * clock, counted from the local receipt, so a skewed clock does not renew too late.
 */
function renewalTime(token: string, receivedAt: number): number | undefined {
  const { iat, exp } = readJwtTimes(token);
  if (exp === undefined) return undefined;
  const lifetimeMs =
    iat !== undefined && iat < exp
      ? (exp - iat) * 1000
      : exp * 1000 - receivedAt;
  if (lifetimeMs <= 0) return receivedAt;
  return (
    receivedAt +
    lifetimeMs -
    Math.min(RENEW_MARGIN_MS, lifetimeMs * RENEW_MARGIN_SHARE)
  );
}
