import fs from 'node:fs';
import path from 'node:path';
import { ArgoCdServer } from './argocd/server';
import { ControlServer } from './control/server';
import { Faults, TargetFaults } from './faults/faults';
import { GitHubServer } from './github/server';
import { GitHubStore } from './github/store';
import { KubeApiServer, TokenGrant } from './kube/server';
import { ClusterStore, KubeObject } from './kube/store';
import { repoFromUrl } from './reconciler/desired';
import { Reconciler } from './reconciler/reconciler';
import { loadOrCreateCa } from './util/tls';
import { GeneratedWorldOptions, generateApplications } from './world/generated';
import { sampleClusters, SampleWorld, seedSampleWorld } from './world/sample';

export interface SandboxPorts {
  /** Kubernetes API of the `core` instance (default 7441). */
  coreKube?: number;
  /** Argo CD API of the `edge` instance (default 7451). */
  edgeArgoCd?: number;
  /**
   * Kubernetes API of the `eu` instance, the Argo CD running in prod-eu-1 (default 7442; 0
   * when `coreKube` is 0, so tests asking for random ports get one here too).
   */
  euKube?: number;
  /** GitHub stand-in (default 7480). */
  github?: number;
  /** Control API (default 7490). */
  control?: number;
  /** First port of generated Kubernetes API servers (default 0: random). */
  generatedKubeBase?: number;
}

export interface SandboxOptions {
  /** Ports; 0 picks a random free port. Defaults are the fixed ports of the portal's default config. */
  ports?: SandboxPorts;
  /** Where the CA and the git repositories live (default `<repo>/.sandbox`). */
  stateDir?: string;
  /** `sample` (default), `empty`, or generated control planes for scale tests. */
  world?: 'sample' | 'empty' | GeneratedWorldOptions;
  /** Latency for every target in ms, or per target (`core`, `edge`, `github`, `gen-01`...). */
  latencyMs?: number | Record<string, number>;
  reconciler?: {
    phaseDelayMs?: number;
    respectManualSync?: boolean;
    /** App of apps creates no Application (see `Reconciler`); default false. */
    withholdApplications?: boolean;
    enabled?: boolean;
  };
  /** Extra accepted GitHub tokens (besides `sandbox-github-token`). */
  githubTokens?: string[];
  /** Bookmark interval of Kubernetes watches (default 15 s). */
  bookmarkIntervalMs?: number;
  /** Start the control API (default true). */
  control?: boolean;
  /** Validate Application writes against the CRD schema (default true). */
  validate?: boolean;
  /** Lifetime of the edge Argo CD's session tokens in seconds (default 24 h, as Argo CD's). */
  argocdSessionSeconds?: number;
}

export interface SandboxInstance {
  name: string;
  store: ClusterStore;
  /** Kubernetes API server hosting this control plane's Applications, if exposed. */
  kube?: KubeApiServer;
  /** Argo CD API server of this control plane, if exposed. */
  argocd?: ArgoCdServer;
  clusters: { name: string; server: string }[];
  namespace: string;
}

export interface Sandbox {
  urls: {
    githubApi: string;
    githubWeb: string;
    control?: string;
    /** Kubernetes API URL per instance. */
    kube: Record<string, string>;
    /** Argo CD API URL per instance. */
    argocd: Record<string, string>;
  };
  caPem: string;
  caFile: string;
  stateDir: string;
  tokens: {
    github: string;
    kube: Record<string, string>;
    argocd: Record<string, string>;
  };
  /** Local accounts per Argo CD instance that may open a session (`POST /api/v1/session`). */
  accounts: { argocd: Record<string, { username: string; password: string }> };
  instances: Record<string, SandboxInstance>;
  /** Application stores per instance. */
  stores: Record<string, ClusterStore>;
  github: {
    server: GitHubServer;
    store: GitHubStore;
    writes(): Record<string, number>;
    requestCounts(): Record<string, number>;
    resetCounters(): void;
  };
  reconciler: Reconciler;
  faults: Faults;
  sampleWorld?: SampleWorld;
  /** Merges a partial status into an Application (an "Argo CD status change"). */
  setApplicationStatus(
    instance: string,
    namespace: string,
    name: string,
    status: Record<string, unknown>,
  ): KubeObject;
  /** Sets faults of a target. */
  setFaults(target: string, faults: Partial<TargetFaults>): TargetFaults;
  /** Clears faults and counters and re-seeds the world. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export const DEFAULT_PORTS = {
  coreKube: 7441,
  euKube: 7442,
  edgeArgoCd: 7451,
  github: 7480,
  control: 7490,
};
export const SAMPLE_TOKENS = {
  github: 'sandbox-github-token',
  core: 'sandbox-core-token',
  edge: 'sandbox-edge-token',
  eu: 'sandbox-eu-token',
};
/** The edge Argo CD's local account, for username/password sign-in. */
const SAMPLE_ARGOCD_ACCOUNT = {
  username: 'backstage',
  password: 'sandbox-edge-password',
};

/** `<repo>/.sandbox`: the nearest ancestor of the working directory with a workspaces package.json. */
function defaultStateDir(): string {
  let dir = process.cwd();
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (
      fs.existsSync(manifest) &&
      JSON.parse(fs.readFileSync(manifest, 'utf8')).workspaces
    )
      return path.join(dir, '.sandbox');
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve('.sandbox');
    dir = parent;
  }
}

/** Starts the sandbox: stand-ins, seeded world, reconciler and control API. */
export async function startSandbox(
  options: SandboxOptions = {},
): Promise<Sandbox> {
  const ports = {
    ...DEFAULT_PORTS,
    ...(options.ports?.coreKube === 0 ? { euKube: 0 } : {}),
    ...(options.ports ?? {}),
  };
  const stateDir = path.resolve(options.stateDir ?? defaultStateDir());
  fs.mkdirSync(stateDir, { recursive: true });
  const ca = await loadOrCreateCa(stateDir);
  const tls = { key: ca.serverKey, cert: ca.serverCert };
  const faults = new Faults();
  const world = options.world ?? 'sample';

  const githubStore = new GitHubStore(path.join(stateDir, 'git'));
  const githubServer = new GitHubServer({
    store: githubStore,
    faults,
    tokens: [SAMPLE_TOKENS.github, ...(options.githubTokens ?? [])],
    webUrl: ports.github ? `http://localhost:${ports.github}` : undefined,
  });
  const started: { stop(): Promise<void> }[] = [];
  const stopAll = async () => {
    for (const server of started.reverse())
      await server.stop().catch(() => undefined);
  };

  try {
    await githubServer.start(ports.github);
    started.push(githubServer);

    const instances: Record<string, SandboxInstance> = {};
    const kubeTokens: Record<string, string> = {};
    const argoTokens: Record<string, string> = {};
    const kubeGrants = (token: string): Record<string, TokenGrant> => ({
      [token]: { user: 'system:serviceaccount:backstage:gitops-reader' },
      'sandbox-readonly-token': {
        user: 'system:serviceaccount:backstage:viewer',
        readOnly: true,
      },
      'sandbox-noaccess-token': {
        user: 'system:serviceaccount:default:nobody',
        namespaces: [],
      },
    });

    const revisionMetadata = async (repoUrl: string, revision: string) => {
      const repo = repoFromUrl(repoUrl);
      const state = repo ? githubStore.find(repo.owner, repo.repo) : undefined;
      const sha = state ? await state.git.resolve(revision) : undefined;
      if (!state || !sha) return undefined;
      const commit = await state.git.readCommit(sha);
      return {
        author: `${commit.author.name} <${commit.author.email}>`,
        date: new Date(commit.author.timestamp * 1000)
          .toISOString()
          .replace(/\.\d+Z$/, 'Z'),
        message: commit.message.replace(/\n$/, ''),
      };
    };

    const reconcilerRef: { current?: Reconciler } = {};
    const onSync = async (
      instance: string,
      app: KubeObject,
      revision?: string,
    ) =>
      reconcilerRef.current?.sync(
        instance,
        app.metadata.namespace ?? 'argocd',
        app.metadata.name,
        revision,
      );

    if (world === 'sample' || world === 'empty') {
      /** An Argo CD of the sample world read through its Kubernetes API. */
      const startKubeInstance = async (
        name: 'core' | 'eu',
        port: number,
      ): Promise<SandboxInstance> => {
        const instance: SandboxInstance = {
          name,
          store: new ClusterStore(name),
          clusters: sampleClusters(name),
          namespace: 'argocd',
        };
        instance.kube = new KubeApiServer({
          name,
          store: instance.store,
          faults,
          tls,
          tokens: kubeGrants(SAMPLE_TOKENS[name]),
          bookmarkIntervalMs: options.bookmarkIntervalMs,
          validate: options.validate,
        });
        await instance.kube.start(port);
        started.push(instance.kube);
        kubeTokens[name] = SAMPLE_TOKENS[name];
        return instance;
      };
      const core = await startKubeInstance('core', ports.coreKube);

      const edge: SandboxInstance = {
        name: 'edge',
        store: new ClusterStore('edge'),
        clusters: sampleClusters('edge'),
        namespace: 'argocd',
      };
      edge.argocd = new ArgoCdServer({
        name: 'edge',
        store: edge.store,
        faults,
        tls,
        tokens: {
          [SAMPLE_TOKENS.edge]: { subject: 'backstage' },
          'sandbox-edge-web-token': { subject: 'web-team', projects: ['web'] },
        },
        accounts: {
          [SAMPLE_ARGOCD_ACCOUNT.username]: SAMPLE_ARGOCD_ACCOUNT.password,
        },
        sessionSeconds: options.argocdSessionSeconds,
        clusters: edge.clusters,
        revisionMetadata,
        onSync: (app, revision) => onSync('edge', app, revision),
      });
      await edge.argocd.start(ports.edgeArgoCd);
      started.push(edge.argocd);
      argoTokens.edge = SAMPLE_TOKENS.edge;
      // A per-cluster Argo CD: it runs in prod-eu-1 and manages only that cluster.
      const eu = await startKubeInstance('eu', ports.euKube);
      instances.core = core;
      instances.edge = edge;
      instances.eu = eu;
    } else {
      for (let i = 0; i < world.clusters; i++) {
        const name = `gen-${String(i + 1).padStart(2, '0')}`;
        const store = new ClusterStore(name);
        store.load(
          'applications',
          generateApplications(
            name,
            world.applicationsPerCluster,
            `${githubServer.webUrl}/acme/generated-gitops.git`,
            world.services,
          ),
        );
        const token = `sandbox-${name}-token`;
        const kube = new KubeApiServer({
          name,
          store,
          faults,
          tls,
          tokens: kubeGrants(token),
          bookmarkIntervalMs: options.bookmarkIntervalMs,
          validate: options.validate,
        });
        await kube.start(
          ports.generatedKubeBase ? ports.generatedKubeBase + i : 0,
        );
        started.push(kube);
        kubeTokens[name] = token;
        instances[name] = {
          name,
          store,
          kube,
          clusters: ['dev', 'staging', 'prod'].map(env => ({
            name: `${name}-${env}`,
            server: `https://${name}-${env}.clusters.acme.internal`,
          })),
          namespace: 'argocd',
        };
      }
    }

    const stores = Object.fromEntries(
      Object.values(instances).map(i => [i.name, i.store]),
    );
    const seed = async () =>
      world === 'sample'
        ? seedSampleWorld({
            github: githubStore,
            stores,
            gitBaseUrl: githubServer.webUrl,
          })
        : undefined;
    const sampleWorld = await seed();

    const reconciler = new Reconciler({
      github: githubStore,
      instances: () => Object.values(instances),
      phaseDelayMs: options.reconciler?.phaseDelayMs,
      respectManualSync: options.reconciler?.respectManualSync,
      withholdApplications: options.reconciler?.withholdApplications,
    });
    reconciler.on('error', () => undefined);
    if (options.reconciler?.enabled !== false) reconciler.start();
    reconcilerRef.current = reconciler;
    const theReconciler = reconciler;

    const latency = options.latencyMs;
    if (latency !== undefined) {
      const targets =
        typeof latency === 'number'
          ? Object.fromEntries(
              ['github', ...Object.keys(instances)].map(t => [t, latency]),
            )
          : latency;
      for (const [target, ms] of Object.entries(targets))
        faults.set(target, { latencyMs: ms });
    }

    const sandbox: Sandbox = {
      urls: {
        githubApi: githubServer.apiUrl,
        githubWeb: githubServer.webUrl,
        kube: Object.fromEntries(
          Object.values(instances)
            .filter(i => i.kube)
            .map(i => [i.name, i.kube!.url]),
        ),
        argocd: Object.fromEntries(
          Object.values(instances)
            .filter(i => i.argocd)
            .map(i => [i.name, i.argocd!.url]),
        ),
      },
      caPem: ca.caPem,
      caFile: path.join(stateDir, 'ca.pem'),
      stateDir,
      tokens: {
        github: SAMPLE_TOKENS.github,
        kube: kubeTokens,
        argocd: argoTokens,
      },
      accounts: {
        argocd: Object.fromEntries(
          Object.values(instances)
            .filter(i => i.argocd)
            .map(i => [i.name, { ...SAMPLE_ARGOCD_ACCOUNT }]),
        ),
      },
      instances,
      stores,
      github: {
        server: githubServer,
        store: githubStore,
        writes: () => githubStore.writes(),
        requestCounts: () => githubServer.requestCounts(),
        resetCounters: () => {
          githubStore.resetWrites();
          githubServer.resetCounters();
        },
      },
      reconciler: theReconciler,
      faults,
      sampleWorld,
      setApplicationStatus(instance, namespace, name, status) {
        const target = instances[instance];
        if (!target) throw new Error(`unknown instance ${instance}`);
        return target.store.patch(
          'applications',
          namespace,
          name,
          'merge',
          { status },
          { validate: false },
        );
      },
      setFaults: (target, patch) => faults.set(target, patch),
      async reset() {
        faults.reset();
        theReconciler.stop();
        await theReconciler.idle().catch(() => undefined);
        for (const instance of Object.values(instances)) {
          if (world === 'sample' || world === 'empty') instance.store.clear();
          instance.kube?.closeWatches();
          instance.argocd?.closeStreams();
        }
        if (world === 'sample' || world === 'empty') {
          githubStore.clear();
          sandbox.sampleWorld = await seed();
        }
        sandbox.github.resetCounters();
        if (options.reconciler?.enabled !== false) theReconciler.start();
      },
      async stop() {
        theReconciler.stop();
        await stopAll();
      },
    };

    if (options.control !== false) {
      const control = new ControlServer({ sandbox, faults });
      await control.start(ports.control);
      started.push(control);
      sandbox.urls.control = control.url;
    }
    return sandbox;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
