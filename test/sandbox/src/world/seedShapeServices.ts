import type { GitHubStore } from '../github/store';
import type { ClusterStore, KubeObject } from '../kube/store';
import { renderedImages } from '../reconciler/desired';
import { INSTANCE_LABEL } from '../reconciler/parentApplications';
import {
  sourceFileReader,
  sourceRevisions,
  syncedSources,
} from '../reconciler/sourceRevisions';
import { helmValues, manifestYaml } from './manifests';
import { ClusterSpec, Environment, managingInstance } from './model';
import {
  GOLDEN_PATH_CHART_PATH,
  goldenPathChartFiles,
  helmValuesWithoutTag,
  parentApplication,
  PLATFORM_CHARTS_REPO,
  SHAPE_SERVICES,
  SHAPE_TEAM,
  SHAPE_VERSIONS,
  ShapeServiceSpec,
  shapeApplication,
  shapeVersionPath,
} from './shapeServices';
import { applicationStatus, HistoryEntry } from './status';
import type { SampleWorld } from './sample';

const ORG = 'acme';
const ENVS: Environment[] = ['dev', 'staging', 'prod'];
const AUTHORS = [
  { name: 'Mei Tanaka', email: 'mei.tanaka@acme.example' },
  { name: 'Lucas Moreau', email: 'lucas.moreau@acme.example' },
];
const iso = (seconds: number) =>
  new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

interface Deploy {
  revision: string;
  at: number;
  version: string;
}

type Instance = { name: string; clusters: { name: string }[] };

/**
 * The instance that deploys a shape service to a cluster: an in-cluster service and the
 * app-of-apps parents (and so their children) go to the Argo CD running in that cluster when
 * there is one, as the reconciler's app of apps decides.
 */
function deployingInstance(
  instances: Instance[],
  service: ShapeServiceSpec | 'parent',
  cluster: string,
): Instance {
  const inCluster =
    service === 'parent' ||
    service.shape === 'in-cluster' ||
    service.shape === 'helm-parameters';
  return managingInstance(
    instances,
    cluster,
    inCluster ? { name: 'in-cluster' } : undefined,
  )!;
}

/**
 * Seeds the shape services (see `SHAPE_SERVICES`): `acme/platform-charts` with the golden-path
 * chart, `acme/discovery-gitops` with their values, Applications and app-of-apps children
 * (deterministic commits), and their Applications, synced at what Git declares, in the
 * instances that deploy them.
 */
export async function seedShapeServices(args: {
  github: GitHubStore;
  stores: Record<string, ClusterStore>;
  instances: Instance[];
  clusters: ClusterSpec[];
  gitBaseUrl: string;
  /** Seconds: the first seeded commit is an hour later. */
  baseTime: number;
  world: SampleWorld;
}): Promise<void> {
  const { github, gitBaseUrl, world, instances, clusters } = args;
  let clock = args.baseTime + 3600;
  let authorIndex = 0;
  const author = () => ({
    ...AUTHORS[authorIndex++ % AUTHORS.length],
    timestamp: (clock += 4 * 3600),
  });

  await github.createRepo({
    owner: ORG,
    name: PLATFORM_CHARTS_REPO,
    description: 'Helm charts of the platform team',
    ownerType: 'Organization',
  });
  const chartFiles: Record<string, string> = {
    'README.md': `# ${PLATFORM_CHARTS_REPO}\n\nThe golden-path chart (\`${GOLDEN_PATH_CHART_PATH}\`), also published as an OCI artifact.\n`,
  };
  for (const [file, content] of Object.entries(goldenPathChartFiles()))
    chartFiles[`${GOLDEN_PATH_CHART_PATH}/${file}`] = content;
  await github.commitFiles(ORG, PLATFORM_CHARTS_REPO, {
    message: 'Golden-path chart 1.0.0',
    files: chartFiles,
    author: author(),
    via: 'seed',
  });

  const repo = SHAPE_TEAM.repo;
  await github.createRepo({
    owner: ORG,
    name: repo,
    description: `GitOps configuration of ${SHAPE_TEAM.team}`,
    ownerType: 'Organization',
  });
  const versionFiles = (
    service: ShapeServiceSpec,
    env: Environment,
    version: string,
  ): Record<string, string> => {
    if (service.shape !== 'helm-parameters')
      return {
        [shapeVersionPath(service, env, '')]: helmValues(
          service.name,
          env,
          version,
        ),
      };
    return Object.fromEntries(
      clusters
        .filter(c => c.environment === env)
        .map(cluster => [
          shapeVersionPath(service, env, cluster.name),
          manifestYaml(
            shapeApplication({
              service,
              cluster,
              instanceClusters: [],
              gitBaseUrl,
              version,
            }),
          ),
        ]),
    );
  };
  const clusterManifest = (service: ShapeServiceSpec, cluster: ClusterSpec) =>
    shapeApplication({
      service,
      cluster,
      instanceClusters: deployingInstance(
        instances,
        service,
        cluster.name,
      ).clusters.map(c => c.name),
      gitBaseUrl,
      version: SHAPE_VERSIONS[service.name][cluster.environment].slice(-1)[0],
    });

  const files: Record<string, string> = {
    'README.md': `# ${repo}\n\nGitOps repository of ${SHAPE_TEAM.team}. Argo CD watches \`main\`.\n\n- \`apps/<service>/envs/<env>/values.yaml\`: values of the golden-path chart (from acme/${PLATFORM_CHARTS_REPO}, its Git path or its OCI artifact)\n- \`clusters/<cluster>/apps/\`: Argo CD Applications, and the app-of-apps parent of \`app-of-apps/<cluster>/\`\n- \`app-of-apps/<cluster>/\`: Applications that set the image tag as a \`helm.parameters\` item\n`,
    CODEOWNERS: `* @acme/${SHAPE_TEAM.team}\n`,
  };
  for (const service of SHAPE_SERVICES) {
    if (service.shape === 'helm-parameters' || service.shape === 'in-cluster')
      for (const [file, content] of Object.entries(goldenPathChartFiles()))
        files[`apps/${service.name}/${file}`] = content;
    for (const env of ENVS) {
      Object.assign(
        files,
        versionFiles(service, env, SHAPE_VERSIONS[service.name][env][0]),
      );
      if (service.shape === 'helm-parameters')
        files[`apps/${service.name}/envs/${env}/values.yaml`] =
          helmValuesWithoutTag(service.name, env);
    }
    if (service.shape === 'helm-parameters') continue;
    for (const cluster of clusters)
      files[`clusters/${cluster.name}/apps/${service.name}.yaml`] =
        manifestYaml(clusterManifest(service, cluster));
  }
  for (const cluster of clusters)
    files[`clusters/${cluster.name}/apps/discovery-apps.yaml`] = manifestYaml(
      parentApplication(cluster, gitBaseUrl),
    );
  const initialAuthor = author();
  const initial = await github.commitFiles(ORG, repo, {
    message: 'Initial GitOps layout',
    files,
    author: initialAuthor,
    via: 'seed',
  });
  const deploys = new Map<string, Deploy[]>();
  for (const service of SHAPE_SERVICES)
    for (const env of ENVS)
      deploys.set(`${service.name}|${env}`, [
        {
          revision: initial,
          at: initialAuthor.timestamp,
          version: SHAPE_VERSIONS[service.name][env][0],
        },
      ]);
  for (let round = 1; round < 3; round++) {
    for (const env of ENVS) {
      for (const service of SHAPE_SERVICES) {
        const version = SHAPE_VERSIONS[service.name][env][round];
        if (!version) continue;
        const sig = author();
        const sha = await github.commitFiles(ORG, repo, {
          message: `chore(${service.name}): promote ${service.name} to ${version} in ${env}`,
          files: versionFiles(service, env, version),
          author: sig,
          via: 'seed',
        });
        deploys
          .get(`${service.name}|${env}`)!
          .push({ revision: sha, at: sig.timestamp, version });
      }
    }
  }
  for (const name of [PLATFORM_CHARTS_REPO, repo]) {
    world.repos.push(`${ORG}/${name}`);
    world.heads[`${ORG}/${name}`] = (await github
      .get(ORG, name)
      .git.resolve('refs/heads/main'))!;
  }
  const head = world.heads[`${ORG}/${repo}`];
  // Argo CD refreshes every few minutes: the last comparison is recent, the last sync is not.
  const reconciledAt = iso(Math.floor(Date.now() / 1000) - 120);

  const create = async (
    instance: string,
    app: KubeObject,
    deployed: Deploy[],
    status: { images: string[]; sourceTypes?: string[] },
  ) => {
    const at = (d: Deploy) => ({ owner: ORG, repo, sha: d.revision });
    const history: HistoryEntry[] = [];
    for (const [i, d] of deployed.slice(-5).entries()) {
      history.push({
        id: i,
        ...syncedSources(app, await sourceRevisions(github, app, at(d))),
        deployStartedAt: iso(d.at + 60),
        deployedAt: iso(d.at + 150),
      });
    }
    const last = deployed[deployed.length - 1];
    args.stores[instance].create('applications', {
      ...app,
      metadata: { ...app.metadata, creationTimestamp: iso(args.baseTime) },
      status: applicationStatus({
        app,
        images: status.images,
        targetRevision: head,
        syncedRevision: last.revision,
        revisions: await sourceRevisions(github, app),
        sourceTypes: status.sourceTypes,
        history,
        syncStatus: 'Synced',
        health: 'Healthy',
        reconciledAt,
        operation: {
          phase: 'Succeeded',
          startedAt: history[history.length - 1].deployStartedAt,
          finishedAt: history[history.length - 1].deployedAt,
          revision: last.revision,
        },
      }),
    });
  };

  for (const cluster of clusters) {
    const parent = parentApplication(cluster, gitBaseUrl);
    const instance = deployingInstance(instances, 'parent', cluster.name);
    await create(
      instance.name,
      parent,
      [{ revision: head, at: clock, version: '' }],
      { images: [], sourceTypes: ['Directory'] },
    );
    for (const service of SHAPE_SERVICES) {
      const app = clusterManifest(service, cluster);
      if (service.shape === 'helm-parameters')
        app.metadata.labels![INSTANCE_LABEL] = parent.metadata.name;
      const host = deployingInstance(instances, service, cluster.name).name;
      const images =
        (await renderedImages(
          app,
          sourceFileReader(github, app, await sourceRevisions(github, app)),
        )) ?? [];
      await create(
        host,
        app,
        deploys.get(`${service.name}|${cluster.environment}`)!,
        {
          images,
          sourceTypes: app.spec.sources?.map(() => 'Helm') ?? ['Helm'],
        },
      );
      const version = images[0]?.split(':').pop() ?? '';
      world.applications.push({
        instance: host,
        name: app.metadata.name,
        cluster: cluster.name,
        service: service.name,
        desired: version,
        live: version,
        sync: 'Synced',
        health: 'Healthy',
      });
    }
  }
}
