export { executePromotion } from './executePromotion';
export { type FreezeWindow, parseFreezeWindow } from './freezeWindows';
export { KeyedLock } from './KeyedLock';
export { planPromotion } from './planPromotion';
export { freezeGate, permissionGate, sourceGate } from './promotionGates';
export { promotionBranchName, refFormatProblem } from './branchName';
export {
  pullRequestBody,
  pullRequestTitle,
  readPromotionMarker,
  serviceCompareUrl,
  serviceRepositoryUrl,
  type PromotionMarker,
} from './pullRequestText';
export type {
  GitopsPullRequest,
  GitopsRepoClient,
  GitopsRepoClientFactory,
  GitopsRepoClientOptions,
  GitopsRepoFile,
  GitopsStateReader,
  PromotionContext,
  PromotionDeps,
} from './types';
