import { emptyDrift } from '../drift';
import type { ClusterState, VersionSource } from '../state';

/**
 * Options of {@link mockClusterState}: where the cell is, what it runs, and any field of
 * {@link ClusterState} to override.
 *
 * @public
 */
export interface MockClusterStateOptions extends Partial<ClusterState> {
  environment: string;
  cluster: string;
  /**
   * The version the cell runs and Git desires: sets `liveVersion`, `desiredVersion` and one live
   * image, `ghcr.io/acme/<service>:<version>`. Without it the cell reports no version.
   */
  version?: string;
  /** The service deployed, naming the Application and its values file. Defaults to `checkout-api`. */
  service?: string;
  /** The GitOps repository holding the desired version. Defaults to `https://github.example/acme/gitops.git`. */
  repoUrl?: string;
  /** The Argo CD instance of the Application. Defaults to `core`. */
  instance?: string;
  /** Fields of `desiredSource` to override, e.g. its `path` and `locator`. */
  source?: Partial<VersionSource>;
}

/**
 * A healthy (environment, cluster) cell: the Application `<service>-<cluster>` in namespace
 * `argocd`, Synced and Healthy, without drift or skew, its desired version read from the Helm
 * values `apps/<service>/envs/<environment>/values.yaml` (`image.tag`) on `main`.
 *
 * @public
 */
export function mockClusterState(
  options: MockClusterStateOptions,
): ClusterState {
  const {
    environment,
    cluster,
    version,
    service = 'checkout-api',
    repoUrl = 'https://github.example/acme/gitops.git',
    instance = 'core',
    source,
    ...overrides
  } = options;
  return {
    cluster,
    environment,
    application: {
      instance,
      namespace: 'argocd',
      name: `${service}-${cluster}`,
    },
    sync: 'Synced',
    health: 'Healthy',
    liveImages:
      version === undefined ? [] : [`ghcr.io/acme/${service}:${version}`],
    ...(version !== undefined && {
      liveVersion: version,
      desiredVersion: version,
    }),
    drift: emptyDrift(),
    skew: false,
    desiredSource: {
      repoUrl,
      path: `apps/${service}/envs/${environment}/values.yaml`,
      ref: 'main',
      locator: { type: 'helm-values', key: 'image.tag' },
      ...source,
    },
    ...overrides,
  };
}
