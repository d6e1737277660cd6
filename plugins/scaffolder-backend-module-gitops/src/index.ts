/**
 * Scaffolder actions of the Backstage GitOps suite.
 *
 * @packageDocumentation
 */
export { gitopsScaffolderModule as default } from './module';
