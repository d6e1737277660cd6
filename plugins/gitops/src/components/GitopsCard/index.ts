export { GitopsCard } from './GitopsCard';
