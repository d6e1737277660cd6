import path from 'node:path';
import YAML from 'yaml';
import type { PushEvent } from '../github/model';
import type { GitHubStore } from '../github/store';
import type { ClusterStore, KubeObject } from '../kube/store';
import { sourceRepo, trackedBranch } from './sourceRevisions';

/** The label Argo CD tracks the resources of an Application with, its children included. */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';

const nowIso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** The Application manifests under a directory source's path at a commit, by name. */
async function childManifests(
  github: GitHubStore,
  parent: KubeObject,
  sha: string | null,
): Promise<Map<string, KubeObject>> {
  const result = new Map<string, KubeObject>();
  const source = parent.spec.source;
  const repo = sourceRepo(github, source);
  if (!sha || !repo) return result;
  const dir = String(source.path ?? '').replace(/^\/+|\/+$/g, '');
  const tree = await repo.state.git.entryAt(sha, dir);
  if (!tree || tree.type !== 'tree') return result;
  const recurse = Boolean(source.directory?.recurse);
  for (const entry of await repo.state.git.readTreeRecursive(tree.oid, dir)) {
    if (entry.type !== 'blob' || !/\.ya?ml$/.test(entry.path)) continue;
    if (!recurse && path.posix.dirname(entry.path) !== dir) continue;
    const text = (await repo.state.git.readBlob(entry.oid)).toString('utf8');
    for (const doc of YAML.parseAllDocuments(text)) {
      const object = doc.toJSON();
      if (object?.kind === 'Application' && object.metadata?.name)
        result.set(object.metadata.name, object);
    }
  }
  return result;
}

/**
 * Plays the sync of app-of-apps parents (Argo CD's cluster bootstrapping): a parent is an
 * Application with a directory source whose path holds Application manifests. When a push
 * changes that path on the branch a parent tracks, the Applications declared there are created
 * or updated in the parent's instance, labelled `app.kubernetes.io/instance: <parent>` as Argo
 * CD tracks them, and with `prune` the ones removed from Git are deleted. Returns the children
 * created or whose spec changed, for the caller to sync.
 */
export async function applyParentApplications(args: {
  github: GitHubStore;
  store: ClusterStore;
  event: PushEvent;
  /** Create no Application (updates and deletes go on). */
  withholdApplications?: boolean;
}): Promise<KubeObject[]> {
  const { github, store, event } = args;
  const changed: KubeObject[] = [];
  const branch = event.ref.replace(/^refs\/heads\//, '');
  for (const parent of store.all('applications')) {
    const source = parent.spec?.source;
    if (!source?.path || source.helm || source.chart || source.kustomize)
      continue;
    const repo = sourceRepo(github, source);
    if (
      !repo ||
      repo.owner.toLowerCase() !== event.owner.toLowerCase() ||
      repo.repo.toLowerCase() !== event.repo.toLowerCase() ||
      trackedBranch(source, repo.state.record.defaultBranch) !== branch
    )
      continue;
    const before = await childManifests(github, parent, event.before);
    const after = await childManifests(github, parent, event.after);
    const namespaceOf = (doc: KubeObject) =>
      doc.metadata.namespace ?? parent.metadata.namespace ?? 'argocd';
    for (const doc of after.values()) {
      const namespace = namespaceOf(doc);
      const labels = {
        ...(doc.metadata.labels ?? {}),
        [INSTANCE_LABEL]: parent.metadata.name,
      };
      const existing = store.get('applications', namespace, doc.metadata.name);
      if (!existing) {
        if (args.withholdApplications) continue;
        changed.push(
          store.create('applications', {
            ...doc,
            metadata: { ...doc.metadata, namespace, labels },
            status: {
              sync: { status: 'OutOfSync' },
              health: { status: 'Missing' },
              reconciledAt: nowIso(),
            },
          }),
        );
      } else if (
        JSON.stringify(existing.spec) !== JSON.stringify(doc.spec) ||
        JSON.stringify(existing.metadata.labels) !== JSON.stringify(labels)
      ) {
        const updated = store.update('applications', {
          ...existing,
          spec: doc.spec,
          metadata: { ...existing.metadata, labels },
        });
        if (JSON.stringify(existing.spec) !== JSON.stringify(doc.spec))
          changed.push(updated);
      }
    }
    if (!parent.spec.syncPolicy?.automated?.prune) continue;
    for (const doc of before.values()) {
      if (after.has(doc.metadata.name)) continue;
      const namespace = namespaceOf(doc);
      if (store.get('applications', namespace, doc.metadata.name))
        store.delete('applications', namespace, doc.metadata.name);
    }
  }
  return changed;
}
