/**
 * Test utilities of the GitOps suite: builders of deployment states and promotion plans.
 *
 * @packageDocumentation
 */
export { mockClusterState } from './mockClusterState';
export type { MockClusterStateOptions } from './mockClusterState';
export { mockEntityState } from './mockEntityState';
export type { MockEntityStateOptions } from './mockEntityState';
export { mockPromotionPlan } from './mockPromotionPlan';
export type { MockPromotionPlanOptions } from './mockPromotionPlan';
