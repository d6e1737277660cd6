import { parseEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  ControlPlaneHealth,
  EntityGitopsState,
  EntityReadiness,
  EnvironmentHistory,
  OverviewPage,
  OverviewQuery,
  PromotionList,
  PromotionRequest,
  PromotionResult,
} from '@backstage-gitops/plugin-gitops-common';
import { GitopsApi } from './GitopsApi';

/**
 * Default {@link GitopsApi} implementation, talking to the `gitops` backend plugin.
 *
 * @public
 */
export class GitopsClient implements GitopsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getState(entityRef: string): Promise<EntityGitopsState> {
    return this.request(`/v1/state/${entityPath(entityRef)}`);
  }

  async getReadiness(entityRef: string): Promise<EntityReadiness> {
    return this.request(`/v1/readiness/${entityPath(entityRef)}`);
  }

  async getHistory(
    entityRef: string,
    environment: string,
  ): Promise<EnvironmentHistory> {
    const query = new URLSearchParams({ environment });
    return this.request(`/v1/history/${entityPath(entityRef)}?${query}`);
  }

  async promote(request: PromotionRequest): Promise<PromotionResult> {
    return this.request('/v1/promotions', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    });
  }

  async listPromotions(entityRef: string): Promise<PromotionList> {
    const query = new URLSearchParams({ entityRef });
    return this.request(`/v1/promotions?${query}`);
  }

  async getControlPlane(): Promise<ControlPlaneHealth> {
    return this.request('/v1/control-plane');
  }

  async getOverview(query: OverviewQuery = {}): Promise<OverviewPage> {
    const search = overviewSearchParams(query).toString();
    return this.request(`/v1/overview${search ? `?${search}` : ''}`);
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('gitops');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return [kind, namespace, name].map(encodeURIComponent).join('/');
}

/**
 * The query string of `GET /v1/overview`: lists repeat their key (`owner=a&owner=b`), flags are
 * sent only when set, so an absent filter never reads as `false`.
 */
export function overviewSearchParams(query: OverviewQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '' || value === false) {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      params.append(key, String(item));
    }
  }
  return params;
}
