import { Entity } from '@backstage/catalog-model';
import type { Sandbox } from '@internal/gitops-sandbox';
import { performance } from 'node:perf_hooks';

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

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** The base URL of a server listening on localhost. */
export function baseUrl(server: { address(): any }) {
  return `http://localhost:${server.address().port}`;
}

/**
 * Times GET requests one after the other; returns the sorted milliseconds. `onBody` sees each
 * body's bytes (e.g. for page sizes); `headersOf` may give each request its own headers.
 */
export async function timeRequests(
  urls: string[],
  headers: Record<string, string> | ((i: number) => Record<string, string>),
  onBody?: (body: ArrayBuffer) => void,
) {
  const times: number[] = [];
  for (const [i, url] of urls.entries()) {
    const started = performance.now();
    const res = await fetch(url, {
      headers: typeof headers === 'function' ? headers(i) : headers,
    });
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    times.push(performance.now() - started);
    onBody?.(body);
  }
  return times.sort((a, b) => a - b);
}

/**
 * Gives the generated world a GitOps repository with each environment's values file, and points
 * the Applications' synced revision at its commit, so desired versions resolve as in production.
 */
export async function seedGeneratedRepo(sandbox: Sandbox) {
  const github = sandbox.github.store;
  await github.createRepo({ owner: 'acme', name: 'generated-gitops' });
  const sha = await github.commitFiles('acme', 'generated-gitops', {
    message: 'Generated GitOps layout',
    files: Object.fromEntries(
      ENVS.map((env, i) => [
        `apps/generated/envs/${env}/values.yaml`,
        `image:\n  repository: ghcr.io/acme/generated\n  tag: 1.${i}.0\n`,
      ]),
    ),
  });
  // generated Applications share their status objects: this touches a handful of objects
  const statuses = new Set<any>();
  for (const store of Object.values(sandbox.stores)) {
    for (const app of store.all()) statuses.add(app.status);
  }
  for (const status of statuses) {
    status.sync.revision = sha;
    status.operationState.syncResult.revision = sha;
    for (const h of status.history) h.revision = sha;
  }
}
