import {
  sandboxCatalogEntities,
  sandboxPortalConfig,
  Sandbox,
} from '@internal/gitops-sandbox';
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import knexFactory from 'knex';
import yaml from 'yaml';

const PACKAGE = resolvePackagePath('@internal/gitops-replica-tests');
const ROOT = path.resolve(PACKAGE, '../..');
const START_TIMEOUT_MS = 90_000;

/**
 * The PostgreSQL connection string `scripts/postgres.sh` exports (as `.ci/run` starts it), for
 * `@backstage/backend-test-utils`' TestDatabases: `BACKSTAGE_TEST_DATABASE_POSTGRES<n>_CONNECTION_STRING`.
 */
export function postgresConnectionString(): string | undefined {
  const names = Object.keys(process.env)
    .filter(name =>
      /^BACKSTAGE_TEST_DATABASE_POSTGRES\d+_CONNECTION_STRING$/.test(name),
    )
    .sort();
  return names.length ? process.env[names[names.length - 1]] : undefined;
}

/** One backend process of {@link startReplicas}. */
export interface Replica {
  name: string;
  baseUrl: string;
  /** What the process wrote to stdout and stderr, for failure messages. */
  output(): string;
}

/** Replicas of one backend on one PostgreSQL, and how to stop them and drop their databases. */
export interface Replicas {
  replicas: Replica[];
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function replicaConfig(options: {
  sandbox: Sandbox;
  port: number;
  connection: string;
  prefix: string;
}) {
  const portal = sandboxPortalConfig(options.sandbox);
  const baseUrl = `http://127.0.0.1:${options.port}`;
  return {
    ...portal,
    backend: {
      baseUrl,
      listen: { host: '127.0.0.1', port: options.port },
      database: {
        client: 'pg',
        connection: options.connection,
        // each run its own databases, dropped afterwards
        prefix: options.prefix,
      },
    },
    auth: {
      providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
    },
    // no policy: this test is about concurrency across replicas, not about who may promote
    permission: { enabled: false },
    // fail instead of falling back to this process only when the bus is missing
    events: { useEventBus: 'always' },
    gitops: {
      ...portal.gitops,
      signals: { debounce: { milliseconds: 50 } },
      promotion: { ...portal.gitops.promotion, allowWithoutPermissions: true },
    },
  };
}

async function waitUntilUp(replica: Replica, child: ChildProcess) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `Replica ${replica.name} exited with ${
          child.exitCode
        }:\n${replica.output()}`,
      );
    }
    try {
      const res = await fetch(`${replica.baseUrl}/api/gitops/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Replica ${
          replica.name
        } did not answer within ${START_TIMEOUT_MS} ms:\n${replica.output()}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

async function dropDatabases(connection: string, prefix: string) {
  const db = knexFactory({
    client: 'pg',
    connection: { connectionString: connection, database: 'postgres' },
  });
  try {
    const { rows } = await db.raw(
      'select datname from pg_database where datname like ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows as Array<{ datname: string }>) {
      await db.raw('drop database if exists ?? with (force)', [datname]);
    }
  } finally {
    await db.destroy();
  }
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts `names.length` real backend processes (`src/replica.ts`) against the sandbox, all on
 * the PostgreSQL of `connection`, each on a free port, and waits until each answers.
 */
export async function startReplicas(options: {
  sandbox: Sandbox;
  connection: string;
  names: string[];
}): Promise<Replicas> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-replicas-'));
  const prefix = `gitops_replicas_${randomBytes(4).toString('hex')}_`;
  const children: ChildProcess[] = [];
  const replicas: Replica[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopProcess));
    await dropDatabases(options.connection, prefix);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const entitiesFile = path.join(dir, 'entities.yaml');
  fs.writeFileSync(
    entitiesFile,
    sandboxCatalogEntities(options.sandbox)
      .map(entity => yaml.stringify(entity))
      .join('---\n'),
  );
  try {
    for (const name of options.names) {
      const port = await freePort();
      const configFile = path.join(dir, `${name}.yaml`);
      fs.writeFileSync(
        configFile,
        yaml.stringify(replicaConfig({ ...options, port, prefix })),
      );
      const child = spawn(
        process.execPath,
        [
          '--require',
          require.resolve('@backstage/cli/config/nodeTransform.cjs'),
          path.join(PACKAGE, 'src/replica.ts'),
          '--config',
          configFile,
        ],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            GITOPS_REPLICA_ENTITIES: entitiesFile,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      children.push(child);
      let output = '';
      const keep = (chunk: Buffer) => {
        output = (output + chunk.toString()).slice(-20_000);
      };
      child.stdout!.on('data', keep);
      child.stderr!.on('data', keep);
      const replica = {
        name,
        baseUrl: `http://127.0.0.1:${port}`,
        output: () => output,
      };
      replicas.push(replica);
      // one after the other: the first creates the databases and runs the migrations
      await waitUntilUp(replica, child);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { replicas, stop };
}
