export {
  SyncBadge,
  HealthBadge,
  healthTone,
  syncTone,
  toneBorderColor,
} from './StatusBadges';
export type { StatusTone } from './StatusBadges';
