export { ReadinessSection } from './ReadinessSection';
export { EntityReadinessSection } from './EntityReadinessSection';
