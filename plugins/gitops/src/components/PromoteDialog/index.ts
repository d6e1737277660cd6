export { PromoteButton } from './PromoteButton';
export { PromoteDialog } from './PromoteDialog';
