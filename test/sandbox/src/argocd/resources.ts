import crypto from 'node:crypto';
import type { KubeObject } from '../kube/store';

const uid = (seed: string) => {
  const h = crypto.createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
};

interface ResourceRef {
  group?: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status?: string;
  health?: { status: string };
  requiresPruning?: boolean;
}

const imagesOf = (app: KubeObject): string[] =>
  app.status?.summary?.images ?? [];

/** The resource tree Argo CD reports: managed resources plus ReplicaSets and Pods. */
export function resourceTree(app: KubeObject) {
  const resources: ResourceRef[] = app.status?.resources ?? [];
  const createdAt = app.metadata.creationTimestamp;
  const nodes: Record<string, unknown>[] = [];
  for (const r of resources) {
    const self = {
      group: r.group ?? '',
      version: r.version,
      kind: r.kind,
      namespace: r.namespace,
      name: r.name,
      uid: uid(`${app.metadata.name}/${r.kind}/${r.name}`),
    };
    nodes.push({
      ...self,
      resourceVersion: app.metadata.resourceVersion,
      ...(r.health ? { health: r.health } : {}),
      createdAt,
      info: [],
    });
    if (r.kind === 'Deployment') {
      const hash = crypto
        .createHash('sha1')
        .update(imagesOf(app).join(','))
        .digest('hex')
        .slice(0, 10);
      const rs = {
        group: 'apps',
        version: 'v1',
        kind: 'ReplicaSet',
        namespace: r.namespace,
        name: `${r.name}-${hash}`,
        uid: uid(`${self.uid}/${hash}`),
      };
      nodes.push({
        ...rs,
        parentRefs: [self],
        info: [{ name: 'Revision', value: 'Rev:1' }],
        health: { status: 'Healthy' },
        createdAt,
      });
      const replicas =
        app.metadata.labels?.['gitops.backstage.io/environment'] === 'prod'
          ? 3
          : 1;
      for (let i = 0; i < replicas; i++) {
        const suffix = crypto
          .createHash('sha1')
          .update(`${rs.uid}/${i}`)
          .digest('hex')
          .slice(0, 5);
        nodes.push({
          group: '',
          version: 'v1',
          kind: 'Pod',
          namespace: r.namespace,
          name: `${rs.name}-${suffix}`,
          uid: uid(`${rs.uid}/${i}`),
          parentRefs: [rs],
          info: [
            { name: 'Status Reason', value: 'Running' },
            { name: 'Containers', value: '1/1' },
          ],
          images: imagesOf(app),
          health: {
            status:
              r.health?.status === 'Progressing' ? 'Progressing' : 'Healthy',
          },
          createdAt,
        });
      }
    }
  }
  return { nodes, hosts: [] };
}

function manifestFor(app: KubeObject, r: ResourceRef, live: boolean) {
  const base = {
    apiVersion: r.group ? `${r.group}/${r.version}` : r.version,
    kind: r.kind,
    metadata: {
      name: r.name,
      namespace: r.namespace,
      labels: { 'app.kubernetes.io/instance': app.metadata.name },
    },
  };
  const drift = live && r.status === 'OutOfSync';
  switch (r.kind) {
    case 'Deployment':
      return {
        ...base,
        spec: {
          replicas: live ? 5 : 3,
          template: {
            spec: {
              containers: [
                {
                  name: r.name,
                  image: imagesOf(app)[0] ?? `${r.name}:unknown`,
                  env: drift ? [{ name: 'DEBUG', value: 'true' }] : [],
                },
              ],
            },
          },
        },
      };
    case 'ConfigMap':
      return { ...base, data: { LOG_LEVEL: drift ? 'debug' : 'info' } };
    default:
      return { ...base, spec: {} };
  }
}

/** `managed-resources`: target vs live state per resource, as JSON strings. */
export function managedResources(app: KubeObject) {
  const resources: ResourceRef[] = app.status?.resources ?? [];
  return {
    items: resources.map(r => {
      const target = r.requiresPruning ? null : manifestFor(app, r, false);
      const live = manifestFor(app, r, true);
      return {
        group: r.group ?? '',
        kind: r.kind,
        namespace: r.namespace,
        name: r.name,
        version: r.version,
        targetState: JSON.stringify(target),
        liveState: JSON.stringify(live),
        normalizedLiveState: JSON.stringify(live),
        predictedLiveState: JSON.stringify(target),
        hook: false,
        modified: r.status === 'OutOfSync',
        resourceVersion: app.metadata.resourceVersion,
      };
    }),
  };
}

/**
 * `GET /api/v1/applications/{name}/manifests`: the target manifests Argo CD renders for the
 * Application, as JSON strings (`{ manifests: string[] }`, Argo CD's ManifestResponse); resources
 * that require pruning are not in Git, so not rendered.
 */
export function renderedManifests(app: KubeObject) {
  const resources: ResourceRef[] = app.status?.resources ?? [];
  return {
    manifests: resources
      .filter(r => !r.requiresPruning)
      .map(r => JSON.stringify(manifestFor(app, r, false))),
    revision: app.status?.sync?.revision ?? '',
    sourceType: app.status?.sourceType ?? 'Directory',
  };
}
