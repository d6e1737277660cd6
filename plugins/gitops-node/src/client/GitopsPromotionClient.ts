import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  PromotionRecord,
  PromotionRequest,
  PromotionResult,
} from '@backstage-gitops/plugin-gitops-common';

/**
 * Calls the gitops backend's promotion API from another backend plugin (such as the scaffolder),
 * on behalf of a user, so gates, permissions and audit apply exactly as for the portal's dialog.
 *
 * @public
 */
export class GitopsPromotionClient {
  readonly #discovery: DiscoveryService;
  readonly #auth: AuthService;
  readonly #fetch: typeof fetch;

  constructor(options: {
    discovery: DiscoveryService;
    auth: AuthService;
    fetch?: typeof fetch;
  }) {
    this.#discovery = options.discovery;
    this.#auth = options.auth;
    this.#fetch = options.fetch ?? fetch;
  }

  /** `POST /api/gitops/v1/promotions`. Errors are thrown as `ResponseError`s with the server's message. */
  async promote(
    request: PromotionRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<PromotionResult> {
    const response = await this.#fetch(await this.#url('/v1/promotions'), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(await this.#authorization(options.credentials)),
      },
      body: JSON.stringify(request),
    });
    if (!response.ok) {
      throw await responseError(response);
    }
    return (await response.json()) as PromotionResult;
  }

  /** `GET /api/gitops/v1/promotions?entityRef=`: an entity's promotion attempts, newest first. */
  async listPromotions(
    entityRef: string,
    options: { credentials: BackstageCredentials },
  ): Promise<PromotionRecord[]> {
    const response = await this.#fetch(
      await this.#url(
        `/v1/promotions?entityRef=${encodeURIComponent(entityRef)}`,
      ),
      { headers: await this.#authorization(options.credentials) },
    );
    if (!response.ok) {
      throw await responseError(response);
    }
    return ((await response.json()) as { items: PromotionRecord[] }).items;
  }

  async #url(path: string): Promise<string> {
    return `${await this.#discovery.getBaseUrl('gitops')}${path}`;
  }

  async #authorization(credentials: BackstageCredentials) {
    const { token } = await this.#auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'gitops',
    });
    return { Authorization: `Bearer ${token}` };
  }
}

/** A `ResponseError` whose message is the server's, e.g. which gate failed. */
async function responseError(response: Response): Promise<ResponseError> {
  const error = await ResponseError.fromResponse(response);
  const server = error.body?.error;
  if (server?.message) {
    error.message = `${server.name ?? 'Error'} (${response.status}): ${
      server.message
    }`;
  }
  return error;
}
