/**
 * Benchmark of the deployment state backend against the sandbox's generated world (N Kubernetes
 * API servers, each an Argo CD control plane with M Applications) with 50 ms of latency on every
 * upstream request. Prints: state API p50/p99 over 1,000 requests for random entities, upstream
 * calls per request in steady state, retained bytes per Application, time from a status change
 * to the API, and cold sync time; then the same entities through
 * `@backstage-community/plugin-argocd-backend` against an Argo CD REST stand-in on one control
 * plane, and the latency ratio.
 *
 * Run: yarn workspace @internal/gitops-bench bench:state [<clusters>x<apps> ...]
 * (default 20x5000). It re-runs itself once with NODE_EXTRA_CA_CERTS set to the sandbox's CA,
 * so the community plugin's fetch trusts the stand-in.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { startGitopsBackend } from '@internal/gitops-integration';
import {
  ArgoCdServer,
  loadOrCreateCa,
  Sandbox,
  startSandbox,
} from '@internal/gitops-sandbox';
// the community plugin, started as its README says, for the comparison
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import communityArgoCdPlugin from '@backstage-community/plugin-argocd-backend';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  baseUrl,
  entity,
  ENVS,
  heapUsed,
  out,
  percentile,
  seedGeneratedRepo,
  serviceNames,
  sleep,
  timeRequests,
} from './benchHelpers';

const LATENCY_MS = 50;
const REQUESTS = 1000;
const COMMUNITY_REQUESTS = Number(
  process.env.BENCH_COMMUNITY_REQUESTS ?? REQUESTS,
);
const STATUS_CHANGES = 10;
const STATE_DIR = path.join(os.tmpdir(), 'gitops-state-bench');
const ARGOCD_TOKEN = 'bench-argocd-token';

function upstreamCalls(sandbox: Sandbox) {
  let calls = 0;
  for (const instance of Object.values(sandbox.instances)) {
    calls += instance.kube?.requestCount ?? 0;
  }
  for (const n of Object.values(sandbox.github.requestCounts())) calls += n;
  return calls;
}

async function benchmark(clusters: number, appsPerCluster: number) {
  const total = clusters * appsPerCluster;
  out(
    `\n## ${clusters} clusters x ${appsPerCluster} Applications = ${total} Applications, ${LATENCY_MS} ms upstream latency`,
  );
  const began = Date.now();
  const sandbox = await startSandbox({
    ports: { coreKube: 0, edgeArgoCd: 0, github: 0, control: 0 },
    stateDir: STATE_DIR,
    world: { clusters, applicationsPerCluster: appsPerCluster },
    latencyMs: LATENCY_MS,
    reconciler: { enabled: false },
    control: false,
  });
  await seedGeneratedRepo(sandbox);
  const ca = await loadOrCreateCa(STATE_DIR);
  const argocd = new ArgoCdServer({
    name: 'gen-01',
    store: sandbox.stores['gen-01'],
    faults: sandbox.faults,
    tls: { key: ca.serverKey, cert: ca.serverCert },
    tokens: { [ARGOCD_TOKEN]: { subject: 'bench' } },
    clusters: sandbox.instances['gen-01'].clusters,
  });
  await argocd.start(0);
  out(`sandbox ready in ${Date.now() - began} ms`);

  const services = serviceNames(appsPerCluster);
  // A backend without instances first, so the retained heap below counts the Applications, not
  // the modules and services every backend loads once.
  const empty = await startGitopsBackend(sandbox, {
    entities: [],
    gitops: { instances: [] },
  });
  await empty.stop();
  const heapBefore = heapUsed();
  const syncStarted = performance.now();
  const gitops = await startGitopsBackend(sandbox, {
    entities: services.map(entity),
    gitops: { signals: { debounce: { milliseconds: 100 } } },
  });
  try {
    const headers = {
      authorization: mockCredentials.user.header('user:default/bench'),
    };
    const gitopsUrl = `${baseUrl(
      gitops.server,
    )}/api/gitops/v1/state/component/default`;
    // svc-00000 has an Application in every environment of every control plane: once all of
    // them are in the state, every control plane's list is in the store
    const cells = clusters * ENVS.length;
    for (;;) {
      const res = await fetch(`${gitopsUrl}/${services[0]}`, { headers });
      const body: any = await res.json();
      const filled = (body.environments ?? [])
        .flatMap((e: any) => e.clusters)
        .filter((c: any) => c.application).length;
      if (filled === cells) break;
      if (performance.now() - syncStarted > 600_000) {
        throw new Error(
          `cold sync incomplete after 10 min: ${filled}/${cells} cells`,
        );
      }
      await sleep(50);
    }
    const coldSyncMs = performance.now() - syncStarted;
    await sleep(1000);
    const retained = (heapUsed() - heapBefore) / total;

    const random = () => services[Math.floor(Math.random() * services.length)];
    const entities = Array.from({ length: REQUESTS }, random);
    // warm-up: desired versions are read from Git once per source, then served from memory
    await timeRequests(
      entities.slice(0, 100).map(name => `${gitopsUrl}/${name}`),
      headers,
    );
    const callsBefore = upstreamCalls(sandbox);
    const ours = await timeRequests(
      entities.map(name => `${gitopsUrl}/${name}`),
      headers,
    );
    const callsPerRequest = (upstreamCalls(sandbox) - callsBefore) / REQUESTS;

    // a status change on a random control plane, until the API shows it
    const changes: number[] = [];
    for (let i = 0; i < STATUS_CHANGES; i++) {
      const instance = `gen-${String(
        1 + Math.floor(Math.random() * clusters),
      ).padStart(2, '0')}`;
      const service = random();
      const app = `${service}-dev-${instance}`;
      const current = sandbox.stores[instance].get(
        'applications',
        'argocd',
        app,
      );
      const health =
        current?.status?.health?.status === 'Degraded' ? 'Healthy' : 'Degraded';
      const started = performance.now();
      sandbox.setApplicationStatus(instance, 'argocd', app, {
        health: { status: health },
      });
      for (;;) {
        const body: any = await (
          await fetch(`${gitopsUrl}/${service}`, { headers })
        ).json();
        const cell = body.environments
          .flatMap((e: any) => e.clusters)
          .find((c: any) => c.application?.name === app);
        if (cell?.health === health) break;
        if (performance.now() - started > 30_000) {
          throw new Error(`${app} never showed ${health}`);
        }
        await sleep(5);
      }
      changes.push(performance.now() - started);
    }
    changes.sort((a, b) => a - b);

    // the community plugin, for the same entities, on the one control plane it is pointed at
    const community = await startTestBackend({
      features: [
        communityArgoCdPlugin,
        mockServices.rootConfig.factory({
          data: {
            argocd: {
              appLocatorMethods: [
                {
                  type: 'config',
                  instances: [
                    { name: 'gen-01', url: argocd.url, token: ARGOCD_TOKEN },
                  ],
                },
              ],
            },
          },
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      ],
    });
    const communityUrl = `${baseUrl(
      community.server,
    )}/api/backstage-community-argocd/argoInstance/gen-01/applications/selector`;
    const theirs = await timeRequests(
      entities
        .slice(0, COMMUNITY_REQUESTS)
        .map(
          name =>
            `${communityUrl}/${encodeURIComponent(
              `app.kubernetes.io/name=${name}`,
            )}`,
        ),
      headers,
    );
    await community.stop();

    const ms = (v: number) => `${v.toFixed(1)} ms`;
    const goal = (ok: boolean) => (ok ? 'within goal' : 'OVER goal');
    const rows = {
      size: `${clusters} x ${appsPerCluster} = ${total} Applications`,
      'cold sync': ms(coldSyncMs),
      'state API p50': ms(percentile(ours, 50)),
      'state API p99': `${ms(percentile(ours, 99))} (goal <= 20 ms: ${goal(
        percentile(ours, 99) <= 20,
      )})`,
      'upstream calls per request (steady state)': `${callsPerRequest} (goal 0: ${goal(
        callsPerRequest === 0,
      )})`,
      'retained heap per Application': `${retained.toFixed(
        0,
      )} bytes (goal <= 1024: ${goal(retained <= 1024)})`,
      'status change -> API (median / max of 10)': `${ms(
        percentile(changes, 50),
      )} / ${ms(changes[changes.length - 1])} (goal <= 2000 ms: ${goal(
        changes[changes.length - 1] <= 2000,
      )})`,
      [`community argocd-backend p50 / p99 (${theirs.length} requests, 1 control plane)`]: `${ms(
        percentile(theirs, 50),
      )} / ${ms(percentile(theirs, 99))}`,
      'ratio community / ours (p50, p99)': `${(
        percentile(theirs, 50) / percentile(ours, 50)
      ).toFixed(1)}x, ${(percentile(theirs, 99) / percentile(ours, 99)).toFixed(
        1,
      )}x`,
    };
    for (const [k, v] of Object.entries(rows)) out(`${k.padEnd(72)} ${v}`);
    out(
      `(ours answers for all ${clusters} control planes per request; the community plugin asks one instance per request)`,
    );
  } finally {
    await gitops.stop();
    await argocd.stop();
    await sandbox.stop();
  }
}

async function main() {
  const sizes = (
    process.argv.slice(2).length ? process.argv.slice(2) : ['20x5000']
  ).map(s => s.split('x').map(Number) as [number, number]);
  for (const [clusters, apps] of sizes) {
    await benchmark(clusters, apps);
  }
}

if (require.main === module) {
  const caFile = path.join(STATE_DIR, 'ca.pem');
  if (process.env.NODE_EXTRA_CA_CERTS !== caFile) {
    // Node reads extra CAs at start-up only: make the CA, then run again trusting it
    loadOrCreateCa(STATE_DIR)
      .then(() => {
        const child = spawnSync(
          process.execPath,
          [...process.execArgv, ...process.argv.slice(1)],
          {
            stdio: 'inherit',
            env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
          },
        );
        process.exit(child.status ?? 1);
      })
      .catch(error => {
        process.stderr.write(`${error.stack ?? error}\n`);
        process.exit(1);
      });
  } else {
    main()
      .then(() => process.exit(0))
      .catch(error => {
        process.stderr.write(`${error.stack ?? error}\n`);
        process.exit(1);
      });
  }
}
