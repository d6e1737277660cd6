/**
 * Backend plugin of the Backstage GitOps suite.
 *
 * @packageDocumentation
 */
export { gitopsPlugin as default } from './plugin';
