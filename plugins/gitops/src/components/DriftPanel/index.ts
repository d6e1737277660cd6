export { DriftPanel } from './DriftPanel';
export { driftCount } from './driftCount';
