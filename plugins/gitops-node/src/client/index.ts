export { GitopsPromotionClient } from './GitopsPromotionClient';
