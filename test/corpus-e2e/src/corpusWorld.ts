import type { JsonObject } from '@backstage/types';
import {
  ArgoCdServer,
  ClusterStore,
  KubeApiServer,
  KubeObject,
  loadOrCreateCa,
  Sandbox,
  startIsolatedSandbox,
} from '@internal/gitops-sandbox';
import { CorpusCase } from './corpusCases';

/**
 * The corpus topology (as test/corpus/live-status's): a hub Argo CD managing dev-1 and
 * staging-1, and one Argo CD per production cluster running in it, so an in-cluster destination
 * means prod-eu-1 under prod-eu and prod-us-1 under prod-us.
 */
export const TOPOLOGY = {
  environments: [
    { name: 'dev', title: 'Development', clusters: ['dev-1'] },
    { name: 'staging', title: 'Staging', clusters: ['staging-1'] },
    { name: 'prod', title: 'Production', clusters: ['prod-eu-1', 'prod-us-1'] },
  ],
  clusters: ['dev-1', 'staging-1', 'prod-eu-1', 'prod-us-1'].map(name => ({
    name,
    server: `https://${name}.k8s.example.com`,
  })),
  instances: {
    hub: ['dev-1', 'staging-1'],
    'prod-eu': ['prod-eu-1'],
    'prod-us': ['prod-us-1'],
  } as Record<string, string[]>,
};

const KUBE_TOKEN = 'corpus-kube-token';
const ARGOCD_TOKEN = 'corpus-argocd-token';

/** One Argo CD instance of the topology: its Applications, served by both APIs. */
interface CorpusInstance {
  store: ClusterStore;
  kube: KubeApiServer;
  argocd: ArgoCdServer;
}

/** Where a case's Git source is served: the GitHub stand-in repository for its repoURL. */
export interface RepoMapping {
  original: string;
  standIn: string;
}

/** The sandbox's GitHub stand-in plus the topology's instances, readable by both paths. */
export interface CorpusWorld {
  sandbox: Sandbox;
  /** `gitops` config of a backend reading every instance as `type`. */
  gitopsConfig(type: 'kubernetes' | 'argocd'): JsonObject;
  /** Replaces the instances' Applications with the case's and serves its Git files. */
  seed(corpusCase: CorpusCase): Promise<RepoMapping[]>;
  stop(): Promise<void>;
}

/** A Git source: not a chart from a Helm or OCI repository. */
function isGitSource(source: any): boolean {
  return (
    typeof source?.repoURL === 'string' &&
    !source.chart &&
    !source.repoURL.startsWith('oci://')
  );
}

function sourcesOf(app: any): any[] {
  return app.spec.sources ?? (app.spec.source ? [app.spec.source] : []);
}

const slug = (text: string) =>
  text
    .replace(/^\w+:\/\//, '')
    .replace(/\.git$/, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

const PREVIOUS: Record<string, string> = {
  'staging-1': 'dev-1',
  'prod-eu-1': 'staging-1',
  'prod-us-1': 'staging-1',
};

/**
 * The same Application, Synced and Healthy on the cluster of the environment before the case's
 * (reported by the hub), so a promotion into the case's environment has a source to come from.
 */
function sourceApplication(
  app: any,
  instance: string,
  corpusCase: CorpusCase,
): KubeObject | undefined {
  const destination = app.spec.destination ?? {};
  const cluster =
    TOPOLOGY.instances[instance].length === 1
      ? TOPOLOGY.instances[instance][0]
      : destination.name ?? new URL(destination.server).hostname.split('.')[0];
  const previous = cluster && PREVIOUS[cluster];
  if (!previous || !corpusCase.endToEnd.promotion) return undefined;
  const donor = structuredClone(app);
  if (instance === 'hub') {
    donor.metadata.name = `${app.metadata.name}-previous`;
  }
  donor.spec.destination = {
    name: previous,
    namespace: app.spec.destination?.namespace,
  };
  donor.status = {
    sync: { status: 'Synced', revision: app.status?.sync?.revision },
    health: { status: 'Healthy' },
    summary: { images: app.status?.summary?.images ?? [] },
  };
  return donor;
}

/** Starts the GitHub stand-in (no seeded world, no reconciler) and the instances. */
export async function startCorpusWorld(): Promise<CorpusWorld> {
  const sandbox = await startIsolatedSandbox('gitops-corpus', {
    world: 'empty',
    control: false,
    reconciler: { enabled: false },
  });
  const ca = await loadOrCreateCa(sandbox.stateDir);
  const tls = { key: ca.serverKey, cert: ca.serverCert };
  const instances: Record<string, CorpusInstance> = {};
  try {
    for (const [name, clusters] of Object.entries(TOPOLOGY.instances)) {
      const store = new ClusterStore(name);
      const kube = new KubeApiServer({
        name,
        store,
        faults: sandbox.faults,
        tls,
        tokens: { [KUBE_TOKEN]: { user: 'system:serviceaccount:corpus' } },
        validate: false,
      });
      await kube.start(0);
      const argocd = new ArgoCdServer({
        name,
        store,
        faults: sandbox.faults,
        tls,
        tokens: { [ARGOCD_TOKEN]: { subject: 'backstage' } },
        clusters: TOPOLOGY.clusters.filter(c => clusters.includes(c.name)),
      });
      await argocd.start(0);
      instances[name] = { store, kube, argocd };
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  async function stopAll() {
    for (const instance of Object.values(instances)) {
      await instance.kube.stop().catch(() => undefined);
      await instance.argocd.stop().catch(() => undefined);
    }
    await sandbox.stop();
  }

  let seeded: { instance: string; app: KubeObject }[] = [];
  let repos = 0;

  /** A repository of the GitHub stand-in with the case's files on every branch its sources name. */
  async function serveRepo(
    corpusCase: CorpusCase,
    original: string,
    sources: any[],
  ) {
    const owner = `corpus-${++repos}`;
    const name = slug(original);
    await sandbox.github.store.createRepo({ owner, name });
    const files = corpusCase.files[original] ?? {};
    const branches = new Set(['main']);
    for (const s of sources) {
      const revision = s.targetRevision;
      if (s.repoURL === original && revision && revision !== 'HEAD') {
        branches.add(revision);
      }
    }
    const commits: Record<string, string> = {};
    for (const branch of branches) {
      commits[branch] = await sandbox.github.store.commitFiles(owner, name, {
        branch,
        message: `${corpusCase.id}: the files ${original} holds`,
        files: Object.keys(files).length
          ? files
          : { 'README.md': `${original}\n` },
      });
    }
    commits.HEAD = commits.main;
    return {
      original,
      standIn: `${sandbox.urls.githubWeb}/${owner}/${name}.git`,
      commits,
    };
  }

  return {
    sandbox,
    gitopsConfig: type => ({
      environments: TOPOLOGY.environments,
      clusters: TOPOLOGY.clusters,
      instances: Object.entries(TOPOLOGY.instances).map(([name, clusters]) => ({
        name,
        type,
        url:
          type === 'argocd'
            ? instances[name].argocd.url
            : instances[name].kube.url,
        token: type === 'argocd' ? ARGOCD_TOKEN : KUBE_TOKEN,
        caFile: sandbox.caFile,
        uiUrl: `https://argocd.${name}.example.com`,
        clusters,
      })),
      // the corpus is about where versions live, not who may edit which repository
      promotion: { releaseOwners: ['user:default/jane'] },
    }),
    async seed(corpusCase) {
      for (const previous of seeded) {
        instances[previous.instance].store.delete(
          'applications',
          previous.app.metadata.namespace,
          previous.app.metadata.name,
        );
      }
      seeded = [];
      const app = structuredClone(corpusCase.application);
      const mappings: (RepoMapping & { commits: Record<string, string> })[] =
        [];
      const sources = sourcesOf(app);
      for (const source of sources.filter(isGitSource)) {
        const original: string = source.repoURL;
        let mapping = mappings.find(m => m.original === original);
        if (!mapping) {
          mapping = await serveRepo(corpusCase, original, sources);
          mappings.push(mapping);
        }
        source.repoURL = mapping.standIn;
      }
      // Argo CD reports the commit it compared with; here that is the stand-in's commit
      const sync = app.status?.sync;
      sources.forEach((source, i) => {
        const mapping = mappings.find(m => m.standIn === source.repoURL);
        if (!sync || !mapping) return;
        const commit =
          mapping.commits[source.targetRevision ?? 'HEAD'] ??
          mapping.commits.HEAD;
        if (app.spec.sources && Array.isArray(sync.revisions)) {
          sync.revisions[i] = commit;
        } else if (!app.spec.sources && sync.revision) {
          sync.revision = commit;
        }
      });
      const instance = corpusCase.endToEnd.instance;
      app.metadata.namespace ??= 'argocd';
      instances[instance].store.create('applications', app, {
        validate: false,
      });
      seeded.push({ instance, app });
      const donor = sourceApplication(app, instance, corpusCase);
      if (donor) {
        instances.hub.store.create('applications', donor, { validate: false });
        seeded.push({ instance: 'hub', app: donor });
      }
      return mappings.map(({ original, standIn }) => ({ original, standIn }));
    },
    stop: stopAll,
  };
}
