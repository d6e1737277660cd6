import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  coreServices,
  createServiceFactory,
  resolvePackagePath,
  PermissionsService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  ClusterState,
  EntityGitopsState,
  EntityReadiness,
} from '@backstage-gitops/plugin-gitops-common';
import {
  SandboxEndpoints,
  sandboxPortalConfig,
} from '@internal/gitops-sandbox';
// the plugin under test, as the portal's backend adds it
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import gitopsPlugin from '@backstage-gitops/plugin-gitops-backend';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';

const ROOT = path.resolve(
  resolvePackagePath('@internal/gitops-integration'),
  '../..',
);

/** The catalog entities of `examples/entities.yaml` (checkout-api, payments-worker, storefront-web...). */
export function exampleEntities(): Entity[] {
  return yaml
    .parseAllDocuments(
      fs.readFileSync(path.join(ROOT, 'examples/entities.yaml'), 'utf8'),
    )
    .map(doc => doc.toJS() as Entity)
    .filter(Boolean);
}

/** Deep-merges `patch` into `target` (objects only; arrays and scalars replace). */
function merge(target: any, patch: any): any {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return patch;
  }
  const out = { ...(target ?? {}) };
  for (const [key, value] of Object.entries(patch)) {
    out[key] = merge(out[key], value);
  }
  return out;
}

/** Options of {@link startGitopsBackend}. */
export interface GitopsBackendOptions {
  /** Catalog entities; defaults to {@link exampleEntities}. */
  entities?: Entity[];
  /** Merged into the `gitops` config, e.g. `{ watch: { stallTimeout: { seconds: 2 } } }`. */
  gitops?: Record<string, unknown>;
  /** Merged into every instance of the `gitops` config, e.g. `{ timeout: '1 second' }`. */
  instance?: Record<string, unknown>;
  /** Changes the whole config last, e.g. to give an instance other credentials. */
  configure?: (config: any) => void;
  /** The permissions service's decisions; by default everything is allowed. */
  permissions?: PermissionsService;
}

/**
 * A root config that can change while the backend runs and tells its subscribers, as the
 * config loader does when a watched config file (or a `$file` it reads) changes.
 */
function reloadableRootConfig(initial: any) {
  let data = initial;
  let current = mockServices.rootConfig({ data });
  const listeners = new Set<() => void>();
  const config = new Proxy({} as RootConfigService, {
    get(_target, property) {
      if (property === 'subscribe') {
        return (listener: () => void) => {
          listeners.add(listener);
          return { unsubscribe: () => listeners.delete(listener) };
        };
      }
      const value = (current as any)[property];
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
  return {
    factory: createServiceFactory({
      service: coreServices.rootConfig,
      deps: {},
      factory: () => config,
    }),
    /** Changes the config data and notifies the subscribers. */
    update(change: (data: any) => void) {
      const next = structuredClone(data);
      change(next);
      data = next;
      current = mockServices.rootConfig({ data: next });
      listeners.forEach(listener => listener());
    },
  };
}

/** A running GitOps backend plugin and a client of its state route. */
export interface GitopsBackend {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  /** `GET /api/gitops/v1/state/:kind/:namespace/:name` as a signed-in user. */
  getState(
    name: string,
    kind?: string,
    namespace?: string,
  ): Promise<{ status: number; body: EntityGitopsState & { error?: any } }>;
  /** `GET /api/gitops/v1/readiness/:kind/:namespace/:name` as a signed-in user. */
  getReadiness(
    name: string,
  ): Promise<{ status: number; body: EntityReadiness & { error?: any } }>;
  /** Changes the running backend's config, as an operator editing app-config does. */
  updateConfig(change: (data: any) => void): void;
  stop(): Promise<void>;
}

/**
 * Starts the real GitOps backend plugin (`startTestBackend`) against a running sandbox: the
 * portal's config pointed at the sandbox's ports, a mock catalog and permissions that allow.
 */
export async function startGitopsBackend(
  sandbox: SandboxEndpoints,
  options: GitopsBackendOptions = {},
): Promise<GitopsBackend> {
  const config = sandboxPortalConfig(sandbox);
  config.gitops = merge(config.gitops, options.gitops ?? {});
  config.gitops.instances = config.gitops.instances.map((i: unknown) =>
    merge(i, options.instance ?? {}),
  );
  options.configure?.(config);
  const rootConfig = reloadableRootConfig(config);
  const backend = await startTestBackend({
    features: [
      gitopsPlugin,
      rootConfig.factory,
      catalogServiceMock.factory({
        entities: options.entities ?? exampleEntities(),
      }),
      options.permissions
        ? createServiceFactory({
            service: coreServices.permissions,
            deps: {},
            factory: () => options.permissions!,
          })
        : mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
  });
  const auth = mockCredentials.user.header('user:default/jane');
  return {
    server: backend.server,
    async getState(name, kind = 'component', namespace = 'default') {
      const res = await request(backend.server)
        .get(`/api/gitops/v1/state/${kind}/${namespace}/${name}`)
        .set('Authorization', auth);
      return { status: res.status, body: res.body };
    },
    async getReadiness(name) {
      const res = await request(backend.server)
        .get(`/api/gitops/v1/readiness/component/default/${name}`)
        .set('Authorization', auth);
      return { status: res.status, body: res.body };
    },
    updateConfig: change => rootConfig.update(change),
    stop: () => backend.stop(),
  };
}

/**
 * Polls `check` until it returns a value other than undefined, or fails after `timeoutMs` with
 * the last value seen, so a failing wait says what it saw.
 */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${
          last ? `; last error: ${String(last)}` : ''
        }`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
}

/** Every environment x cluster cell of a state, in order. */
export function cells(state: EntityGitopsState): ClusterState[] {
  return state.environments.flatMap(e => e.clusters);
}
