export {
  SyncBadge,
  StatusBadge,
  HealthBadge,
  healthTone,
  syncTone,
  toneBorderColor,
} from './StatusBadges';
export type { StatusTone } from './StatusBadges';
