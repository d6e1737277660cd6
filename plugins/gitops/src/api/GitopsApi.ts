import { createApiRef } from '@backstage/frontend-plugin-api';
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

/**
 * Client of the gitops-backend API: deployment state, history and promotions of an entity.
 *
 * @public
 */
export interface GitopsApi {
  /** What runs where for the entity, environments x clusters, with drift, skew and lag. */
  getState(entityRef: string): Promise<EntityGitopsState>;
  /** The entity's readiness checks per environment (pass, fail or unknown with the reason). */
  getReadiness(entityRef: string): Promise<EntityReadiness>;
  /** What was deployed in one environment of the entity, newest first. */
  getHistory(
    entityRef: string,
    environment: string,
  ): Promise<EnvironmentHistory>;
  /** Plans (with `dryRun: true`) or opens a promotion pull request. */
  promote(request: PromotionRequest): Promise<PromotionResult>;
  /**
   * The audit list of promotion attempts of the entity, newest first, with the GitHub reads
   * that failed while refreshing pull request states in `errors`.
   */
  listPromotions(entityRef: string): Promise<PromotionList>;
  /**
   * Control-plane health of every Argo CD instance and cluster, for platform teams; rejects
   * with a 403 without `gitops.controlplane.read`.
   */
  getControlPlane(): Promise<ControlPlaneHealth>;
  /**
   * One page of the overview: every annotated service the user may read, one row each, with the
   * filters of `query` combined with AND.
   */
  getOverview(query?: OverviewQuery): Promise<OverviewPage>;
}

/**
 * Reference to the {@link GitopsApi}.
 *
 * @public
 */
export const gitopsApiRef = createApiRef<GitopsApi>({
  id: 'plugin.gitops.client',
});
