import crypto from 'node:crypto';

/** Argo CD's default session lifetime (`users.session.duration`, 24 h). */
export const DEFAULT_SESSION_SECONDS = 24 * 60 * 60;

const base64url = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/** What a session token stands for. */
export interface SessionGrant {
  subject: string;
  /** Seconds since the epoch. */
  exp: number;
}

/**
 * Sessions of local accounts as Argo CD's `POST /api/v1/session` opens them: an HS256 JWT with
 * `iss`, `sub` (`<user>:login`), `iat`, `nbf`, `exp` and `jti`, signed with a key of this
 * server. A token is accepted until `exp`.
 */
export class ArgoCdSessions {
  readonly #key = crypto.randomBytes(32);
  readonly #issued = new Map<string, SessionGrant>();

  constructor(
    private readonly accounts: Record<string, string>,
    private readonly sessionSeconds = DEFAULT_SESSION_SECONDS,
  ) {}

  /** A new session token, or the message Argo CD answers a refused login with. */
  create(
    username: unknown,
    password: unknown,
  ): { token: string } | { error: string } {
    if (typeof password !== 'string' || password === '') {
      return { error: 'Blank passwords are not allowed' };
    }
    // Argo CD does not say which of the two was wrong
    if (
      typeof username !== 'string' ||
      !Object.hasOwn(this.accounts, username) ||
      this.accounts[username] !== password
    ) {
      return { error: 'Invalid username or password' };
    }
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + this.sessionSeconds;
    const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({
      iss: 'argocd',
      sub: `${username}:login`,
      iat,
      nbf: iat,
      exp,
      jti: crypto.randomUUID(),
    })}`;
    const signature = crypto
      .createHmac('sha256', this.#key)
      .update(unsigned)
      .digest('base64url');
    const token = `${unsigned}.${signature}`;
    this.#issued.set(token, { subject: username, exp });
    return { token };
  }

  /** How many sessions were opened. */
  get count(): number {
    return this.#issued.size;
  }

  /** The session a token belongs to, expired or not; undefined for any other token. */
  find(token: string): (SessionGrant & { expired: boolean }) | undefined {
    const grant = this.#issued.get(token);
    if (!grant) return undefined;
    return { ...grant, expired: Date.now() / 1000 >= grant.exp };
  }
}
