/**
 * Shared types, permissions, annotations and pure functions of the Backstage GitOps suite.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './releaseOwners';
export * from './state';
export * from './promotion';
export * from './placement';
export * from './versions';
export * from './drift';
export * from './environments';
export * from './tracking';
export * from './overview';
export * from './controlPlane';
export * from './readiness';
