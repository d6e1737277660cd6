export { ReadinessSection } from './ReadinessSection';
