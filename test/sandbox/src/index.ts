export { startSandbox, DEFAULT_PORTS, SAMPLE_TOKENS } from './sandbox';
export type {
  Sandbox,
  SandboxOptions,
  SandboxPorts,
  SandboxInstance,
} from './sandbox';
export { Faults } from './faults/faults';
export type { TargetFaults, DownMode } from './faults/faults';
export { ClusterStore } from './kube/store';
export type { KubeObject, StoreEvent } from './kube/store';
export { KubeApiServer } from './kube/server';
export type { TokenGrant } from './kube/server';
export { ArgoCdServer } from './argocd/server';
export { GitHubServer } from './github/server';
export { GitHubStore } from './github/store';
export { Reconciler } from './reconciler/reconciler';
export {
  SAMPLE_CLUSTERS,
  SAMPLE_SERVICES,
  SAMPLE_VERSIONS,
} from './world/sample';
export type { SampleWorld } from './world/sample';
export {
  PER_CLUSTER_INSTANCES,
  SHAPE_SERVICES,
  SHAPE_TEAM,
  SHAPE_VERSIONS,
} from './world/shapeServices';
export type { ApplicationShape, ShapeServiceSpec } from './world/shapeServices';
export type { GeneratedWorldOptions } from './world/generated';
export {
  sandboxGitopsConfig,
  sandboxPortalConfig,
} from './testing/portalConfig';
export type { SandboxEndpoints } from './testing/portalConfig';
export { sandboxCatalogEntities } from './testing/catalogEntities';
export { startIsolatedSandbox } from './testing/isolatedSandbox';
export { loadOrCreateCa } from './util/tls';
export type { CertificateAuthority } from './util/tls';
