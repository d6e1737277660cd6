export { createPromotionRouter } from './createPromotionRouter';
export { PromotionService } from './PromotionService';
export { registerPromoteAction } from './registerPromoteAction';
