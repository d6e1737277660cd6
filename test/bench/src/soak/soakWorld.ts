/**
 * The in-memory world of the soak benchmark: Applications generated as the store holds them, a
 * GitOps repository whose commits are computed rather than stored (so the stand-in's memory does
 * not grow with the run), a `fetch` answering the GitHub contents API for it without a socket,
 * and Argo CD sources answering history reads from the store.
 */
import { emptyDrift } from '@backstage-gitops/plugin-gitops-common';
import { createHash } from 'node:crypto';
// The soak bench drives the state service in process with a simulated clock; the store, the
// sources' shapes and the Application type are internals of the backend plugin.
// eslint-disable-next-line @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports
import type {
  ApplicationSource,
  SlimApplication,
} from '@backstage-gitops/plugin-gitops-backend/src/sources/types';
import { ENVS } from '../benchHelpers';

export const GIT_HOST = 'git.soak.test';
export const REPO_URL = `https://${GIT_HOST}/acme/gitops.git`;
const CONTENTS = `https://${GIT_HOST}/api/v3/repos/acme/gitops/contents/`;

/**
 * One commit in this many lacks a service's values file (a broken commit, fixed by the next):
 * reads at it fail, which fills the failure cache.
 */
const BROKEN_EVERY = 8;

/** The sha of commit `k` of the generated repository; the index is readable from it. */
export function commitSha(k: number) {
  return `c0${k.toString(16).padStart(38, '0')}`;
}

function commitIndex(sha: string) {
  return parseInt(sha.slice(2), 16);
}

function serviceIndex(service: string) {
  return Number(service.slice(4));
}

/** The release of a service at a commit: each service releases every 5 to 24 commits. */
function release(service: number, commit: number) {
  return Math.floor((commit + service) / (5 + (service % 20)));
}

/** The version an environment runs at a commit: staging one release behind dev, prod two. */
export function versionAt(service: string, env: string, commit: number) {
  const r = release(serviceIndex(service), commit) - ENVS.indexOf(env);
  return `1.${Math.max(0, r)}.0`;
}

/** A values file of realistic size (about 1.5 KB), as the generated repository holds it. */
function valuesFile(service: string, env: string, commit: number) {
  const lines = [
    `# ${service} in ${env}, generated for the soak benchmark`,
    'image:',
    `  repository: ghcr.io/acme/${service}`,
    `  tag: ${versionAt(service, env, commit)}`,
    `replicaCount: ${env === 'prod' ? 3 : 1}`,
    'resources:',
    '  requests: { cpu: 100m, memory: 128Mi }',
    '  limits: { cpu: 500m, memory: 512Mi }',
    'env:',
  ];
  for (let i = 0; i < 24; i++) {
    lines.push(`  - name: ${service.toUpperCase()}_SETTING_${i}`);
    lines.push(`    value: "${env}-${(i * 7919) % 1000}"`);
  }
  return `${lines.join('\n')}\n`;
}

function notFound() {
  return new Response(JSON.stringify({ message: 'Not Found' }), {
    status: 404,
    headers: { 'content-type': 'application/json' },
  });
}

/** Answers `GET /repos/acme/gitops/contents/apps/<service>/envs/<env>/values.yaml?ref=<sha>`. */
function answerContents(url: URL): Response {
  const path = decodeURIComponent(
    url.pathname.slice(new URL(CONTENTS).pathname.length),
  );
  const match = /^apps\/(svc-\d+)\/envs\/([a-z]+)\/values\.yaml$/.exec(path);
  const ref = url.searchParams.get('ref') ?? commitSha(0);
  if (!match || !ENVS.includes(match[2])) return notFound();
  const [, service, env] = match;
  const commit = commitIndex(ref);
  if (
    (commit + serviceIndex(service) + ENVS.indexOf(env)) % BROKEN_EVERY ===
    0
  ) {
    return notFound();
  }
  const content = valuesFile(service, env, commit);
  const sha = createHash('sha1')
    .update(`blob ${Buffer.byteLength(content)}\0${content}`)
    .digest('hex');
  return new Response(
    JSON.stringify({
      type: 'file',
      path,
      sha,
      encoding: 'base64',
      content: Buffer.from(content).toString('base64'),
      html_url: `https://${GIT_HOST}/acme/gitops/blob/${ref}/${path}`,
    }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );
}

/**
 * Routes the GitHub API of {@link GIT_HOST} to the generated repository, in process; other URLs
 * go to the real fetch. Returns a function restoring it, and the number of requests answered.
 */
export function installGitStandIn() {
  const real = globalThis.fetch;
  const counts = { requests: 0 };
  globalThis.fetch = async (input: any, init?: any) => {
    const url = new URL(typeof input === 'string' ? input : input.url);
    if (url.host !== GIT_HOST) return real(input, init);
    counts.requests++;
    return answerContents(url);
  };
  return { counts, restore: () => (globalThis.fetch = real) };
}

/** The Argo CD instances (`gen-01`...) and their clusters, one per environment. */
export function instanceNames(count: number) {
  return Array.from(
    { length: count },
    (_, i) => `gen-${String(i + 1).padStart(2, '0')}`,
  );
}

/** What a generated Application is at one moment. */
export interface AppState {
  instance: string;
  service: string;
  env: string;
  commit: number;
  historyId: number;
  syncedAt: number;
  health: 'Healthy' | 'Progressing' | 'Degraded';
  sync: 'Synced' | 'OutOfSync';
  /** Release of the running image; lags the synced commit until a rollout finishes. */
  image: string;
}

/** The Application the store holds for a state, built afresh like a watch event's projection. */
export function slimApplication(state: AppState): SlimApplication {
  const { instance, service, env } = state;
  return {
    metadata: {
      name: `${service}-${env}-${instance}`,
      namespace: 'argocd',
      labels: {
        'app.kubernetes.io/name': service,
        'gitops.backstage.io/environment': env,
      },
    },
    project: 'soak',
    destination: { name: `${instance}-${env}` },
    sources: [
      {
        repoURL: REPO_URL,
        path: `apps/${service}`,
        targetRevision: 'main',
        valueFiles: [`envs/${env}/values.yaml`],
        revision: commitSha(state.commit),
      },
    ],
    sync: state.sync,
    health: state.health,
    images: [`ghcr.io/acme/${service}:${state.image}`],
    operationPhase: 'Succeeded',
    lastSyncedAt: new Date(state.syncedAt).toISOString(),
    drift: emptyDrift(),
    historyId: state.historyId,
  };
}

/** Argo CD's `status.history` of an Application: its last five syncs, three commits apart. */
function fullApplication(app: SlimApplication) {
  const source = app.sources[0];
  const commit = commitIndex(source.revision!);
  const last = app.historyId ?? 0;
  const history = [];
  for (let id = Math.max(0, last - 4); id <= last; id++) {
    history.push({
      id,
      revision: commitSha(Math.max(0, commit - (last - id) * 3)),
      deployedAt: new Date(
        Date.parse(app.lastSyncedAt!) - (last - id) * 30_000,
      ).toISOString(),
      source: {
        repoURL: source.repoURL,
        path: source.path,
        targetRevision: source.targetRevision,
        helm: { valueFiles: source.valueFiles },
      },
    });
  }
  return {
    metadata: app.metadata,
    spec: { source: history[0].source, destination: app.destination },
    status: { history },
  };
}

/** An Argo CD source answering history reads from what the store holds. */
export function soakSource(
  instance: string,
  lookup: (name: string) => SlimApplication | undefined,
): ApplicationSource {
  return {
    instance,
    start: async () => {},
    stop: async () => {},
    status: () => ({
      instance,
      type: 'kubernetes',
      state: 'ok',
      errors: [],
      restarts: 0,
    }),
    getApplication: async (_namespace, name) => {
      const app = lookup(name);
      if (!app) throw new Error(`${name} not found`);
      return fullApplication(app);
    },
  };
}

/** A small seeded random number generator (mulberry32), so runs are comparable. */
export function seededRandom(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
