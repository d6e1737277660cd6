export { createPromotionRouter } from './createPromotionRouter';
export { PromotionService } from './PromotionService';
export { registerPromoteAction } from './registerPromoteAction';
export { PromotionOwnership } from './ownership';
export { promotionUnavailableReason } from './promotionUnavailableReason';
