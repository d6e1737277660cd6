/**
 * Node library of the Backstage GitOps suite, reused by gitops-backend and the scaffolder
 * module: the promotion engine, version locators, the YAML editor, the GitHub client factory
 * and extension points.
 *
 * @packageDocumentation
 */
export * from './client';
export * from './config';
export * from './extensions';
export * from './github';
export * from './locators';
export * from './permissions';
export * from './promotion';
export * from './repoUrl';
export * from './version';
export * from './yaml';
