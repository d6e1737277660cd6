import type { GitHubStore } from '../github/store';
import type { ClusterStore, KubeObject } from '../kube/store';
import { desiredImages } from '../reconciler/desired';
import {
  applicationManifest,
  helmChartFiles,
  helmValues,
  kustomizeBaseFiles,
  kustomizeOverlay,
  manifestYaml,
} from './manifests';
import { ClusterSpec, clusterServer, Environment, ServiceSpec } from './model';
import { seedShapeServices } from './seedShapeServices';
import { PER_CLUSTER_INSTANCES } from './shapeServices';
import {
  applicationStatus,
  HistoryEntry,
  ResourceStatus,
  serviceResources,
} from './status';

export const SAMPLE_ORG = 'acme';

export const SAMPLE_CLUSTERS: ClusterSpec[] = [
  { name: 'dev-1', environment: 'dev', instance: 'core', destination: 'name' },
  {
    name: 'staging-1',
    environment: 'staging',
    instance: 'core',
    destination: 'server',
  },
  {
    name: 'prod-eu-1',
    environment: 'prod',
    instance: 'core',
    destination: 'name',
  },
  {
    name: 'prod-us-1',
    environment: 'prod',
    instance: 'edge',
    destination: 'server',
  },
];

export const SAMPLE_SERVICES: ServiceSpec[] = [
  {
    name: 'checkout-api',
    team: 'team-payments',
    project: 'payments',
    repo: 'payments-gitops',
    kind: 'helm',
  },
  {
    name: 'payments-worker',
    team: 'team-payments',
    project: 'payments',
    repo: 'payments-gitops',
    kind: 'kustomize',
  },
  {
    name: 'storefront-web',
    team: 'team-web',
    project: 'web',
    repo: 'web-gitops',
    kind: 'helm',
  },
];

/**
 * Version history per service and environment, oldest first; the last entry
 * is what Git declares today.
 */
export const SAMPLE_VERSIONS: Record<string, Record<Environment, string[]>> = {
  'checkout-api': {
    dev: ['1.7.0', '1.8.0', '1.8.2', '1.9.0'],
    staging: ['1.7.0', '1.8.0', '1.8.2'],
    prod: ['1.7.0', '1.7.3', '1.8.0'],
  },
  'payments-worker': {
    dev: ['2.2.0', '2.3.0', '2.3.1', '2.4.0'],
    staging: ['2.2.0', '2.3.0', '2.3.1'],
    prod: ['2.2.0', '2.3.0', '2.3.1'],
  },
  'storefront-web': {
    dev: ['1.4.0', '1.4.2', '1.5.0', '1.5.1'],
    staging: ['1.4.0', '1.4.2', '1.5.0'],
    prod: ['1.4.0', '1.4.1', '1.4.2'],
  },
};

/** Applications whose live state deliberately differs from Git. */
const LIVE_OVERRIDES: Record<
  string,
  { liveVersion?: string; drift?: boolean }
> = {
  // prod is manual sync: 2.3.1 is merged but only prod-eu-1 has been synced.
  'payments-worker-prod-us-1': { liveVersion: '2.3.0' },
  // Someone edited the ConfigMap and Deployment by hand in prod-us-1.
  'checkout-api-prod-us-1': { drift: true },
};

// Three days before the sandbox starts (on the hour): the seeded history (about 2.5 days of
// commits and syncs) then ends shortly before now, as it would in a live system.
const BASE_TIME = Math.floor(Date.now() / 3_600_000) * 3600 - 3 * 24 * 3600;
const iso = (seconds: number) =>
  new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

const AUTHORS = [
  { name: 'Priya Raman', email: 'priya.raman@acme.example' },
  { name: 'Jonas Berg', email: 'jonas.berg@acme.example' },
  { name: 'Ana Souza', email: 'ana.souza@acme.example' },
];

export function valuesPath(service: ServiceSpec, env: Environment): string {
  return service.kind === 'helm'
    ? `apps/${service.name}/envs/${env}/values.yaml`
    : `apps/${service.name}/overlays/${env}/kustomization.yaml`;
}

function versionFile(
  service: ServiceSpec,
  env: Environment,
  version: string,
): string {
  return service.kind === 'helm'
    ? helmValues(service.name, env, version)
    : kustomizeOverlay(service.name, env, version);
}

interface Deploy {
  revision: string;
  at: number;
  version: string;
}

export interface SampleWorld {
  repos: string[];
  /** sha of `main` per repo after seeding. */
  heads: Record<string, string>;
  applications: {
    instance: string;
    name: string;
    cluster: string;
    service: string;
    desired: string;
    live: string;
    sync: string;
    health: string;
  }[];
}

/**
 * Seeds the sample world: GitHub org `acme` with `payments-gitops` and
 * `web-gitops` (deterministic commits, hence deterministic shas), and the
 * Applications in the `core` and `edge` Argo CD instances; then the shape
 * services (`seedShapeServices`: multi-source, OCI, helm.parameters under an
 * app of apps, in-cluster under per-cluster instances).
 */
export async function seedSampleWorld(args: {
  github: GitHubStore;
  stores: Record<string, ClusterStore>;
  gitBaseUrl: string;
}): Promise<SampleWorld> {
  const { github } = args;
  github.organizations.add(SAMPLE_ORG);
  const world: SampleWorld = { repos: [], heads: {}, applications: [] };
  const envs: Environment[] = ['dev', 'staging', 'prod'];
  let clock = BASE_TIME;
  let authorIndex = 0;
  const author = () => ({
    ...AUTHORS[authorIndex++ % AUTHORS.length],
    timestamp: (clock += 3 * 3600),
  });
  const deploys = new Map<string, Deploy[]>(); // key: service|env

  for (const repoName of [...new Set(SAMPLE_SERVICES.map(s => s.repo))]) {
    const services = SAMPLE_SERVICES.filter(s => s.repo === repoName);
    const team = services[0].team;
    await github.createRepo({
      owner: SAMPLE_ORG,
      name: repoName,
      description: `GitOps configuration of ${team}`,
      ownerType: 'Organization',
    });
    world.repos.push(`${SAMPLE_ORG}/${repoName}`);
    const repoUrl = `${args.gitBaseUrl}/${SAMPLE_ORG}/${repoName}.git`;

    const files: Record<string, string> = {
      'README.md': `# ${repoName}\n\nGitOps repository of ${team}. Argo CD watches \`main\`.\n\n- \`apps/<service>/\`: Helm charts and per-environment values, or Kustomize bases and overlays\n- \`clusters/<cluster>/apps/\`: Argo CD Applications (app of apps)\n`,
      CODEOWNERS: `* @acme/${team}\n`,
    };
    for (const service of services) {
      Object.assign(
        files,
        service.kind === 'helm'
          ? helmChartFiles(service.name)
          : kustomizeBaseFiles(service.name),
      );
      for (const env of envs)
        files[valuesPath(service, env)] = versionFile(
          service,
          env,
          SAMPLE_VERSIONS[service.name][env][0],
        );
      for (const cluster of SAMPLE_CLUSTERS) {
        files[`clusters/${cluster.name}/apps/${service.name}.yaml`] =
          manifestYaml(applicationManifest(service, cluster, repoUrl));
      }
    }
    const initialAuthor = author();
    const initial = await github.commitFiles(SAMPLE_ORG, repoName, {
      message: 'Initial GitOps layout',
      files,
      author: initialAuthor,
      via: 'seed',
    });
    for (const service of services) {
      for (const env of envs)
        deploys.set(`${service.name}|${env}`, [
          {
            revision: initial,
            at: initialAuthor.timestamp,
            version: SAMPLE_VERSIONS[service.name][env][0],
          },
        ]);
    }
    // Promotion rounds: dev first, then staging, then prod.
    for (let round = 1; round < 4; round++) {
      for (const env of envs) {
        for (const service of services) {
          const version = SAMPLE_VERSIONS[service.name][env][round];
          if (!version) continue;
          const sig = author();
          const sha = await github.commitFiles(SAMPLE_ORG, repoName, {
            message: `chore(${service.name}): promote ${service.name} to ${version} in ${env}`,
            files: {
              [valuesPath(service, env)]: versionFile(service, env, version),
            },
            author: sig,
            via: 'seed',
          });
          deploys
            .get(`${service.name}|${env}`)!
            .push({ revision: sha, at: sig.timestamp, version });
        }
      }
    }
    const head = (await github
      .get(SAMPLE_ORG, repoName)
      .git.resolve('refs/heads/main'))!;
    world.heads[`${SAMPLE_ORG}/${repoName}`] = head;

    for (const service of services) {
      for (const cluster of SAMPLE_CLUSTERS) {
        const store = args.stores[cluster.instance];
        if (!store) continue;
        const manifest = applicationManifest(service, cluster, repoUrl);
        const name = manifest.metadata.name;
        const override = LIVE_OVERRIDES[name] ?? {};
        const all = deploys.get(`${service.name}|${cluster.environment}`)!;
        const deployed = override.liveVersion
          ? all.filter(
              d =>
                all.indexOf(d) <=
                all.findIndex(x => x.version === override.liveVersion),
            )
          : all;
        const last = deployed[deployed.length - 1];
        const offset = SAMPLE_CLUSTERS.indexOf(cluster) * 240; // clusters sync a few minutes apart
        const history: HistoryEntry[] = deployed.slice(-5).map((d, i) => ({
          id: i,
          revision: d.revision,
          deployStartedAt: iso(d.at + 60 + offset),
          deployedAt: iso(d.at + 150 + offset),
          source: manifest.spec.source,
        }));
        const repoState = github.get(SAMPLE_ORG, repoName);
        const desired = (await desiredImages(repoState.git, head, manifest))!;
        const liveImages = override.liveVersion
          ? [`ghcr.io/acme/${service.name}:${override.liveVersion}`]
          : desired;
        const outOfSync = Boolean(override.liveVersion || override.drift);
        let resources: ResourceStatus[] | undefined;
        if (override.drift) {
          const ns = service.name;
          resources = [
            {
              version: 'v1',
              kind: 'ConfigMap',
              namespace: ns,
              name: `${service.name}-config`,
              status: 'OutOfSync',
            },
            {
              group: 'apps',
              version: 'v1',
              kind: 'Deployment',
              namespace: ns,
              name: service.name,
              status: 'OutOfSync',
              health: { status: 'Healthy' },
            },
            {
              version: 'v1',
              kind: 'ConfigMap',
              namespace: ns,
              name: `${service.name}-legacy-flags`,
              status: 'OutOfSync',
              requiresPruning: true,
            },
            {
              version: 'v1',
              kind: 'Service',
              namespace: ns,
              name: service.name,
              status: 'Synced',
              health: { status: 'Healthy' },
            },
            {
              group: 'autoscaling',
              version: 'v2',
              kind: 'HorizontalPodAutoscaler',
              namespace: ns,
              name: service.name,
              status: 'Synced',
              health: { status: 'Healthy' },
            },
          ];
        } else if (outOfSync) {
          resources = serviceResources(manifest, 'OutOfSync', 'Healthy');
        }
        const reconciledAt = iso(clock + 600 + offset);
        const status = applicationStatus({
          app: manifest,
          images: liveImages,
          targetRevision: head,
          syncedRevision: last.revision,
          history,
          syncStatus: outOfSync ? 'OutOfSync' : 'Synced',
          health: 'Healthy',
          reconciledAt,
          operation: {
            phase: 'Succeeded',
            startedAt: history[history.length - 1].deployStartedAt,
            finishedAt: history[history.length - 1].deployedAt,
            revision: last.revision,
          },
          resources,
        });
        store.create('applications', {
          ...manifest,
          metadata: { ...manifest.metadata, creationTimestamp: iso(BASE_TIME) },
          status,
        });
        world.applications.push({
          instance: cluster.instance,
          name,
          cluster: cluster.name,
          service: service.name,
          desired: desired[0].split(':').pop()!,
          live: liveImages[0].split(':').pop()!,
          sync: outOfSync ? 'OutOfSync' : 'Synced',
          health: 'Healthy',
        });
      }
    }
  }
  await seedShapeServices({
    github,
    stores: args.stores,
    instances: Object.keys(args.stores).map(name => ({
      name,
      clusters: sampleClusters(name),
    })),
    clusters: SAMPLE_CLUSTERS,
    gitBaseUrl: args.gitBaseUrl,
    baseTime: BASE_TIME,
    world,
  });
  return world;
}

/**
 * Clusters managed by an instance of the sample world, with their API server URLs: a hub
 * instance's (`SAMPLE_CLUSTERS`), or the one cluster a per-cluster instance runs in.
 */
export function sampleClusters(
  instance: string,
): { name: string; server: string }[] {
  return SAMPLE_CLUSTERS.filter(
    c => c.instance === instance || PER_CLUSTER_INSTANCES[instance] === c.name,
  ).map(c => ({
    name: c.name,
    server: clusterServer(c.name),
  }));
}

export type { KubeObject };
