export { postgresConnectionString, startReplicas } from './startReplicas';
export type { Replica, Replicas } from './startReplicas';
export { SignalsTab, signIn } from './signals';
export type { ReceivedSignal } from './signals';
