export {
  TrackedPromotionStatus,
  formatDuration,
} from './TrackedPromotionStatus';
