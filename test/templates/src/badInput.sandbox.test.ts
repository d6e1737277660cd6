import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import scaffolderGithubModule from '@backstage/plugin-scaffolder-backend-module-github';
import gitopsScaffolderModule from '@backstage-gitops/plugin-scaffolder-backend-module-gitops';
import {
  type Sandbox,
  sandboxPortalConfig,
  startSandbox,
} from '@internal/gitops-sandbox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import yaml from 'yaml';
import { templateDir } from './paths';

/*
 * Runs the real gitops-service template (not a dry run) through the scaffolder backend's task
 * engine against the sandbox's GitHub stand-in: bad input fails at its step with a message
 * saying what to fix, and nothing is written to any repository. A valid run, last, shows the
 * write counter does see what the template writes.
 */

jest.setTimeout(180_000);

const templateFile = path.join(templateDir, 'template.yaml');
const templateYaml = yaml.parse(fs.readFileSync(templateFile, 'utf8'));

/** The template entity as the catalog holds it when registered from the local file. */
function templateEntity(name: string, edit?: (t: any) => void): Entity {
  const template = structuredClone(templateYaml);
  template.metadata.name = name;
  template.metadata.annotations = {
    'backstage.io/managed-by-location': `file:${templateFile}`,
    'backstage.io/managed-by-origin-location': `file:${templateFile}`,
  };
  edit?.(template);
  return template;
}

const group = (name: string, annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, annotations },
  spec: { type: 'team', children: [] },
});

interface TaskEvent {
  type: 'log' | 'completion' | 'cancelled' | 'recovered';
  body: {
    message: string;
    stepId?: string;
    status?: string;
    error?: { name: string; message: string };
  };
}

describe('gitops-service template, real runs against the sandbox', () => {
  let sandbox: Sandbox;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stopBackend: () => Promise<void>;
  const registered: string[] = [];

  beforeAll(async () => {
    sandbox = await startSandbox({
      ports: {
        coreKube: 0,
        edgeArgoCd: 0,
        github: 0,
        control: 0,
      },
      stateDir: fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-template-')),
      control: false,
      reconciler: { enabled: false },
    });
    const portal = sandboxPortalConfig(sandbox);

    const catalog = catalogServiceMock({
      entities: [
        templateEntity('gitops-service'),
        // The same steps behind a form without the name's pattern, as another caller of the
        // actions would be: the name then reaches the steps, which refuse it themselves.
        templateEntity('gitops-service-unchecked-form', t => {
          const name = t.spec.parameters[0].properties.name;
          delete name.pattern;
          delete name.maxLength;
        }),
        group('team-payments', {
          'gitops/repo-url': `${sandbox.urls.githubWeb}/acme/payments-gitops`,
          'gitops/argocd-project': 'payments',
        }),
        group('release-owners'),
      ],
    });
    // catalog:register's call; the in-memory catalog does not implement it.
    catalog.addLocation = async location => {
      registered.push(location.target);
      return {
        location: {
          id: 'registered',
          type: location.type ?? 'url',
          target: location.target,
          entityRef: 'location:default/registered',
        },
        entities: [],
        exists: false,
      };
    };

    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderGithubModule,
        gitopsScaffolderModule,
        createServiceFactory({
          service: catalogServiceRef,
          deps: {},
          factory: () => catalog,
        }),
        mockServices.rootConfig.factory({
          data: {
            integrations: portal.integrations,
            gitops: portal.gitops,
            scaffolder: { defaultAuthor: { name: 'scaffolder' } },
          },
        }),
      ],
    });
    server = backend.server;
    stopBackend = () => backend.stop();
  });

  afterAll(async () => {
    await stopBackend?.();
    await sandbox?.stop();
  });

  const values = (overrides: Record<string, unknown> = {}) => ({
    name: 'orders-api',
    description: 'Takes orders',
    owner: 'group:default/team-payments',
    port: 8080,
    environments: [{ name: 'dev' }, { name: 'staging' }, { name: 'prod' }],
    repoOwner: 'acme',
    repoName: 'orders-api',
    ...overrides,
  });

  const createTask = (
    overrides: Record<string, unknown> = {},
    template = 'gitops-service',
  ) =>
    request(server)
      .post('/api/scaffolder/v2/tasks')
      .send({
        templateRef: `template:default/${template}`,
        values: values(overrides),
        secrets: {},
      });

  /** Runs a task to its end; returns its status and events. */
  async function run(overrides: Record<string, unknown>, template?: string) {
    const created = await createTask(overrides, template);
    expect(created.status).toBe(201);
    const id = created.body.id;
    const deadline = Date.now() + 150_000;
    for (;;) {
      const task = await request(server).get(`/api/scaffolder/v2/tasks/${id}`);
      if (['completed', 'failed', 'cancelled'].includes(task.body.status)) {
        const events = await request(server).get(
          `/api/scaffolder/v2/tasks/${id}/events`,
        );
        return {
          status: task.body.status as string,
          events: events.body as TaskEvent[],
        };
      }
      if (Date.now() > deadline) {
        throw new Error(`task ${id} still ${task.body.status}`);
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  /** The last status each step reported, in the order the steps started. */
  const stepStatuses = (events: TaskEvent[]) => {
    const statuses = new Map<string, string>();
    for (const e of events) {
      if (e.type === 'log' && e.body.stepId && e.body.status) {
        statuses.set(e.body.stepId, e.body.status);
      }
    }
    return Object.fromEntries(statuses);
  };

  const skipped = (...steps: string[]) =>
    Object.fromEntries(steps.map(step => [step, 'skipped']));

  const completion = (events: TaskEvent[]) =>
    events.find(e => e.type === 'completion')!.body;

  /** Writes and non-read requests the GitHub stand-in saw, to compare before and after. */
  const githubWrites = () => ({
    writes: sandbox.github.writes(),
    repos: sandbox.github.store
      .list()
      .map(r => `${r.record.owner}/${r.record.name}`)
      .sort(),
    mutatingRequests: Object.entries(sandbox.github.requestCounts())
      .filter(([route]) => /^(POST|PUT|PATCH|DELETE) /.test(route))
      .filter(([route]) => route !== 'POST /api/graphql'),
  });

  it('refuses an invalid service name in the form, before any step runs', async () => {
    const before = githubWrites();
    const res = await createTask({ name: 'Orders_API' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('does not match pattern');
    expect(githubWrites()).toEqual(before);
  });

  it('fails an invalid service name at the check step when the form lets it through', async () => {
    const before = githubWrites();
    const { status, events } = await run(
      { name: 'Orders_API' },
      'gitops-service-unchecked-form',
    );
    expect(status).toBe('failed');
    expect(stepStatuses(events)).toEqual({
      team: 'completed',
      check: 'failed',
      ...skipped('chart', 'gitops', 'fetch', 'publish', 'pr', 'register'),
    });
    expect(completion(events).error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        "Invalid service name 'Orders_API': use lowercase letters, digits and '-'",
      ),
    });
    expect(githubWrites()).toEqual(before);
  });

  it('fails at the team step when the owner has no GitOps repository', async () => {
    const before = githubWrites();
    const { status, events } = await run({
      owner: 'group:default/release-owners',
    });
    expect(status).toBe('failed');
    expect(stepStatuses(events)).toEqual({
      team: 'failed',
      ...skipped(
        'check',
        'chart',
        'gitops',
        'fetch',
        'publish',
        'pr',
        'register',
      ),
    });
    expect(completion(events).error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'The team group:default/release-owners has no GitOps repository',
      ),
    });
    expect(githubWrites()).toEqual(before);
  });

  it('fails at the GitOps step, after the repository checks, when a cluster is unknown', async () => {
    const before = githubWrites();
    const { status, events } = await run({
      environments: [
        { name: 'dev' },
        { name: 'prod', clusters: ['prod-eu-1', 'prod-mars-1'] },
      ],
    });
    expect(status).toBe('failed');
    expect(stepStatuses(events)).toEqual({
      team: 'completed',
      check: 'completed',
      chart: 'completed',
      gitops: 'failed',
      ...skipped('fetch', 'publish', 'pr', 'register'),
    });
    expect(completion(events).error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        "Unknown cluster 'prod-mars-1' in environment 'prod'",
      ),
    });
    expect(githubWrites()).toEqual(before);
  });

  // The control: the same counters do see a run that writes.
  it('writes the service repository and the GitOps pull request on valid input', async () => {
    const before = githubWrites();
    const { status, events } = await run({});
    expect(completion(events).error).toBeUndefined();
    expect(status).toBe('completed');
    expect(Object.values(stepStatuses(events))).toEqual(
      Array(8).fill('completed'),
    );
    const after = githubWrites();
    expect(after.repos).toEqual([...before.repos, 'acme/orders-api'].sort());
    expect(after.writes['acme/payments-gitops']).toBeGreaterThan(
      before.writes['acme/payments-gitops'],
    );
    expect(registered.length).toBeGreaterThan(0);
    expect(new Set(registered)).toEqual(
      new Set([
        `${sandbox.urls.githubWeb}/acme/orders-api/tree/main/catalog-info.yaml`,
      ]),
    );
  });
});
