import { Entity } from '@backstage/catalog-model';

/** The environments of the generated worlds, in promotion order. */
export const ENVS = ['dev', 'staging', 'prod'];

/** Writes one line of a benchmark's report. */
export const out = (line: string) => process.stdout.write(`${line}\n`);

/** The p-th percentile of sorted numbers. */
export function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}

/** Bytes of live heap after full garbage collections (needs node --expose-gc). */
export function heapUsed() {
  (global as any).gc?.();
  (global as any).gc?.();
  return process.memoryUsage().heapUsed;
}

/** Service names of the generated world (`svc-00000`...), as the generator names them. */
export function serviceNames(appsPerCluster: number) {
  const services = Math.max(1, Math.ceil(appsPerCluster / ENVS.length));
  return Array.from(
    { length: services },
    (_, i) => `svc-${String(i).padStart(5, '0')}`,
  );
}

/** A catalog Component selecting the Applications labelled with its name. */
export function entity(name: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      annotations: { 'argocd/app-selector': `app.kubernetes.io/name=${name}` },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/bench',
    },
  };
}
