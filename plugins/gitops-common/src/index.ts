/**
 * Shared types, permissions, annotations and pure functions of the Backstage GitOps suite.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './state';
export * from './promotion';
