import { mockCredentials } from '@backstage/backend-test-utils';
import { OverviewPage } from '@backstage-gitops/plugin-gitops-common';
import {
  GitopsBackend,
  GitopsBackendOptions,
  startGitopsBackend,
} from '@internal/gitops-integration';
import { Sandbox, startSandbox } from '@internal/gitops-sandbox';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { baseUrl, entity, seedGeneratedRepo, sleep } from './benchHelpers';

/** The size of the overview benchmarks' world. */
export const OVERVIEW_WORLD = {
  clusters: 20,
  applicationsPerCluster: 5_000,
  services: 2_000,
  teams: 20,
  latencyMs: 50,
};

/** The owner of the i-th service: 20 teams in turn. */
export const teamOf = (i: number) =>
  `group:default/team-${i % OVERVIEW_WORLD.teams}`;

/** The overview world, its backend, and a signed-in user's client of the overview route. */
export interface OverviewWorld {
  sandbox: Sandbox;
  gitops: GitopsBackend;
  /** `.../api/gitops/v1/overview` */
  url: string;
  names: string[];
  headers: Record<string, string>;
  /** One page of the overview, as the signed-in user. */
  get(query: string): Promise<OverviewPage>;
  /** Milliseconds from the backend's start until every row was served. */
  completeMs: number;
  stop(): Promise<void>;
}

/**
 * Starts the overview benchmarks' world: the sandbox's generated 20 Argo CD control planes x
 * 5,000 Applications = 100,000 Applications over 2,000 services (0-999 in dev, staging and prod,
 * 1000-1999 in dev and staging), one catalog Component each owned by 20 teams, and a GitOps
 * backend on it; resolves once every row is served.
 */
export async function startOverviewWorld(options: {
  stateDir: string;
  permissions?: GitopsBackendOptions['permissions'];
}): Promise<OverviewWorld> {
  const { clusters, applicationsPerCluster, services, latencyMs } =
    OVERVIEW_WORLD;
  const sandbox = await startSandbox({
    ports: { coreKube: 0, edgeArgoCd: 0, github: 0, control: 0 },
    stateDir: path.join(os.tmpdir(), options.stateDir),
    world: { clusters, applicationsPerCluster, services },
    latencyMs,
    reconciler: { enabled: false },
    control: false,
  });
  await seedGeneratedRepo(sandbox);
  const names = Array.from(
    { length: services },
    (_, i) => `svc-${String(i).padStart(5, '0')}`,
  );
  const entities = names.map((name, i) => {
    const e = entity(name);
    return { ...e, spec: { ...e.spec, owner: teamOf(i) } };
  });

  const started = performance.now();
  const gitops = await startGitopsBackend(sandbox, {
    entities,
    permissions: options.permissions,
  });
  const url = `${baseUrl(gitops.server)}/api/gitops/v1/overview`;
  const headers = {
    authorization: mockCredentials.user.header('user:default/bench'),
  };
  const get = async (query: string): Promise<OverviewPage> => {
    const res = await fetch(`${url}${query}`, { headers });
    if (!res.ok) throw new Error(`${query} answered ${res.status}`);
    return (await res.json()) as OverviewPage;
  };
  const stop = async () => {
    await gitops.stop();
    await sandbox.stop();
  };
  try {
    // complete: every row is there and the last control plane's Applications are in them
    for (;;) {
      const first = await get('?limit=1').catch(() => undefined);
      const last = await get(`?q=${names[999]}&limit=1`).catch(() => undefined);
      const versions = last?.items[0]?.environments.reduce(
        (n, e) => n + e.versions.length,
        0,
      );
      if (
        first?.totalItems === services &&
        last?.items[0]?.environments.length === 3 &&
        versions
      ) {
        break;
      }
      if (performance.now() - started > 900_000) {
        throw new Error(
          `overview incomplete after 15 min: ${first?.totalItems} rows`,
        );
      }
      await sleep(200);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const completeMs = performance.now() - started;
  // let the recomputations of the cold sync settle
  await sleep(2_000);
  return { sandbox, gitops, url, names, headers, get, completeMs, stop };
}
