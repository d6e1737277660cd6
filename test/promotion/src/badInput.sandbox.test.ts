import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Sandbox, sandboxPortalConfig } from '@internal/gitops-sandbox';
// the plugin under test, as the portal's backend adds it
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import gitopsPlugin from '@backstage-gitops/plugin-gitops-backend';
import request from 'supertest';
import { countingGithubFactory, startIsolatedSandbox } from './sandboxWorld';

jest.setTimeout(180_000);

const ENTITY = 'component:default/storefront-web';
const valid = { entityRef: ENTITY, from: 'staging', to: 'prod', dryRun: false };

/** The engine's answer to a version that is no image tag, digest or tag@digest. */
const INVALID_VERSION =
  /^Invalid version "[\s\S]*": expected an image tag \(letters, digits, \. _ -, at most 128, not starting with \. or -\), a digest \(sha256:<64 hex>\) or tag@digest$/;

type Case = {
  name: string;
  body: unknown;
  status: RegExp | number;
  message: RegExp;
};

/** At least 200 bad requests, each with the status and message a caller should get. */
function badCases(): Case[] {
  const cases: Case[] = [];
  const add = (
    name: string,
    body: unknown,
    status: number | RegExp,
    message: RegExp,
  ) => cases.push({ name, body, status, message });

  const traversals = [
    '../prod',
    '..',
    '../../etc/passwd',
    'prod/..',
    'prod/../staging',
    '%2e%2e',
    '..%2fprod',
    '/prod',
    'prod/',
    './prod',
    '\\..\\prod',
    'prod\u0000',
    '~/prod',
    'prod;rm -rf',
    'PROD',
    'prod ',
    ' prod',
    'pr od',
    'prod\n',
    '',
    'a'.repeat(64),
  ];
  for (const value of traversals) {
    add(
      `from ${JSON.stringify(value)}`,
      { ...valid, from: value },
      400,
      /from: /,
    );
    add(`to ${JSON.stringify(value)}`, { ...valid, to: value }, 400, /to: /);
    add(
      `target ${JSON.stringify(value)}`,
      { ...valid, targets: [value] },
      400,
      /targets\.0: /,
    );
    add(
      `blob path ${JSON.stringify(value)}`,
      { ...valid, expectedBlobShas: { [`${value}/../x`]: 'a'.repeat(40) } },
      400,
      /expectedBlobShas/,
    );
  }
  const badRefs = [
    'storefront-web',
    'component:',
    ':default/x',
    'component:default/',
    'component:default/../x',
    'component:../../x',
    'component:default/a/b',
    'component:default/x y',
    'component:default/x\n',
    'comp onent:default/x',
    `component:default/${'x'.repeat(400)}`,
    '',
    'component:DEFAULT/x',
    'component:default/.hidden',
    'component:default/x%2f..',
  ];
  for (const entityRef of badRefs) {
    add(
      `entityRef ${JSON.stringify(entityRef)}`,
      { ...valid, entityRef },
      400,
      /entityRef: /,
    );
  }
  for (const env of ['qa', 'production', 'uat', 'dev2', 'canary']) {
    add(
      `unknown source ${env}`,
      { ...valid, from: env },
      400,
      /Unknown environment/,
    );
    add(
      `unknown target ${env}`,
      { ...valid, to: env },
      400,
      /Unknown environment/,
    );
  }
  add(
    'backwards promotion',
    { ...valid, from: 'prod', to: 'staging' },
    400,
    /go forward/,
  );
  add(
    'same environment',
    { ...valid, from: 'prod', to: 'prod' },
    400,
    /go forward/,
  );
  for (const cluster of ['prod-ap-1', 'staging-1', 'dev-1', 'prod-eu-2']) {
    add(
      `unknown target cluster ${cluster}`,
      { ...valid, targets: [cluster] },
      400,
      /Unknown target cluster/,
    );
  }
  for (const name of [
    'nope',
    'storefront',
    'checkout',
    'web',
    'storefront-web-2',
  ]) {
    add(
      `unknown entity ${name}`,
      { ...valid, entityRef: `component:default/${name}` },
      404,
      /No entity/,
    );
  }
  const badVersions = [
    '1.5.0\nreplicaCount: 0',
    '1.5.0\r\nimage: evil',
    '1.5.0 # comment',
    '1.5.0 ',
    ' 1.5.0',
    '1.5 .0',
    '1.5.0\t',
    'latest\n---\nkind: Secret',
    '{tag: 1}',
    '[1.5.0]',
    '*anchor',
    '&a 1.5.0',
    '!!binary x',
    '|',
    '>',
    "'1.5.0'",
    '"1.5.0"',
    '%TAG',
    '@1.5.0',
    '`1.5.0`',
    '1.5.0,1.6.0',
    '.1.5.0',
    '-1.5.0',
    '1.5.0:',
    ':1.5.0',
    'registry:5000/app:1.5.0',
    'app:1.5.0',
    '1.5.0@sha256:short',
    `1.5.0@md5:${'a'.repeat(32)}`,
    `sha256:${'g'.repeat(64)}`,
    `sha256:${'A'.repeat(64)}`,
    '1.5.0@',
    `@sha256:${'a'.repeat(64)}`,
    `1.5.0@@sha256:${'a'.repeat(64)}`,
    '../1.5.0',
    '1.5.0/../../x',
    '1.5.0\\x',
    'ü1.5.0',
    '1.5.0\u0000',
    '1.5.0?',
    '1.5.0=',
    '1.5.0~',
    '$(id)',
    '${HOME}',
    '1.5.0;ls',
    'a'.repeat(129),
    `v${'1'.repeat(200)}`,
  ];
  for (const version of badVersions) {
    add(
      `version ${JSON.stringify(version.slice(0, 40))}`,
      { ...valid, version },
      400,
      INVALID_VERSION,
    );
  }
  for (const special of '#&*!|>\'"%@`{}[],?: \t\\'.split('')) {
    add(
      `version with ${JSON.stringify(special)}`,
      { ...valid, version: `1.5.0${special}x` },
      400,
      INVALID_VERSION,
    );
  }
  for (let length = 300; length <= 2000; length += 100) {
    add(
      `oversize version of ${length}`,
      { ...valid, version: 'a'.repeat(length) },
      400,
      /version: String must contain at most/,
    );
  }
  const invalid = (detail: string) =>
    new RegExp(`^Invalid promotion request: ${detail}`);
  const wrongTypes: Array<[string, unknown, RegExp]> = [
    ['body is an array', [valid], invalid('Expected object, received array')],
    ['body is a string', 'promote', invalid('entityRef: Required')],
    [
      'dryRun is a string',
      { ...valid, dryRun: 'false' },
      invalid('dryRun: Expected boolean, received string'),
    ],
    [
      'targets is a string',
      { ...valid, targets: 'prod-eu-1' },
      invalid('targets: Expected array, received string'),
    ],
    [
      'targets empty',
      { ...valid, targets: [] },
      invalid('targets: Array must contain at least 1 element'),
    ],
    [
      'version is a number',
      { ...valid, version: 1.5 },
      invalid('version: Expected string, received number'),
    ],
    [
      'from missing',
      { entityRef: ENTITY, to: 'prod' },
      invalid('from: Required'),
    ],
    [
      'to missing',
      { entityRef: ENTITY, from: 'staging' },
      invalid('to: Required'),
    ],
    [
      'entityRef missing',
      { from: 'staging', to: 'prod' },
      invalid('entityRef: Required'),
    ],
    [
      'unknown field',
      { ...valid, branch: 'main' },
      invalid("Unrecognized key\\(s\\) in object: 'branch'"),
    ],
    [
      'prototype pollution',
      JSON.parse(
        '{"entityRef":"component:default/storefront-web","from":"staging","to":"prod","__proto__":{"x":1}}',
      ),
      invalid("Unrecognized key\\(s\\) in object: '__proto__'"),
    ],
    [
      'too many targets',
      { ...valid, targets: Array.from({ length: 51 }, (_, i) => `c-${i}`) },
      invalid('targets: Array must contain at most 50 element'),
    ],
    [
      'blob sha not hex',
      { ...valid, expectedBlobShas: { 'apps/a.yaml': 'zz' } },
      invalid('expectedBlobShas\\.apps/a\\.yaml: must be a blob sha'),
    ],
    [
      'version empty',
      { ...valid, version: '' },
      invalid('version: String must contain at least 1 character'),
    ],
  ];
  for (const [name, body, message] of wrongTypes) {
    add(name, body, 400, message);
  }
  add(
    'rollback to a version never deployed',
    { ...valid, version: '0.0.1' },
    409,
    /neither the history/,
  );
  add(
    'digest never deployed, to a file holding a tag',
    { ...valid, version: `sha256:${'a'.repeat(64)}` },
    409,
    /image\.tag in apps\/storefront-web\/envs\/prod\/values\.yaml holds a tag \(1\.4\.2\) but sha256:a{64} is only a digest; promote it as tag@digest/,
  );
  add(
    'tag@digest never deployed',
    { ...valid, version: `9.9.9@sha256:${'b'.repeat(64)}` },
    409,
    /9\.9\.9@sha256:b{64} is not what staging runs .*appears in neither the history of prod nor of staging/,
  );
  return cases;
}

describe('bad promotion requests against the sandbox', () => {
  let sandbox: Sandbox;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let github: ReturnType<typeof countingGithubFactory>;

  beforeAll(async () => {
    sandbox = await startIsolatedSandbox();
    github = countingGithubFactory(sandbox);
    backend = await startTestBackend({
      features: [
        gitopsPlugin,
        mockServices.rootConfig.factory({ data: sandboxPortalConfig(sandbox) }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'storefront-web',
                annotations: {
                  'argocd/app-selector':
                    'app.kubernetes.io/name=storefront-web',
                },
              },
              spec: {
                type: 'website',
                lifecycle: 'production',
                owner: 'group:default/web',
              },
            },
          ],
        }),
        mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
      ],
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await sandbox?.stop();
  });

  /** The state backend has read the sandbox: prod's clusters know their desired source. */
  async function waitForState() {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const res = await request(backend.server)
        .get('/api/gitops/v1/state/component/default/storefront-web')
        .set('Authorization', mockCredentials.user.header('user:default/jane'));
      const prod = res.body?.environments?.find(
        (e: { name: string }) => e.name === 'prod',
      );
      if (
        prod?.clusters?.every(
          (c: { desiredSource?: unknown }) => c.desiredSource,
        )
      ) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `state of storefront-web not ready: ${JSON.stringify(res.body)}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 250));
    }
  }

  /** Branches and pull requests of the GitOps repository: a write would change them. */
  async function githubSnapshot() {
    const client = await github.factory.forRepo(
      `${sandbox.urls.githubWeb}/acme/web-gitops.git`,
    );
    const main = await client.getBranchHead('main');
    const pr = await client.findOpenPullRequest(
      'gitops/promote/storefront-web/prod',
    );
    return JSON.stringify({ main, pr: pr?.number, body: pr?.body });
  }

  const cases = badCases();

  it('has at least 200 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
  });

  it('answers every bad request with a clear 4xx and writes nothing to GitHub', async () => {
    await waitForState();
    const before = await githubSnapshot();
    const writesBefore = sandbox.github.writes();
    const failures: string[] = [];
    for (const c of cases) {
      const res = await request(backend.server)
        .post('/api/gitops/v1/promotions')
        .set('Authorization', mockCredentials.user.header('user:default/jane'))
        .send(c.body as object);
      const status =
        typeof c.status === 'number'
          ? String(res.status) === String(c.status)
          : c.status.test(String(res.status));
      const message = res.body?.error?.message ?? '';
      if (!status || !c.message.test(message) || res.status >= 500) {
        failures.push(`${c.name}: ${res.status} ${message}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await githubSnapshot()).toBe(before);
    expect(sandbox.github.writes()).toEqual(writesBefore);
  });

  /**
   * Target files the engine must refuse to edit: the key is missing, not a single value, or has
   * two candidates. Each is committed to main (as a person would push it) before the request.
   */
  const VALUES = 'apps/storefront-web/envs/prod/values.yaml';
  const header = '# Values for storefront-web in prod.\nreplicaCount: 4\n\n';
  const fileCases: Array<{
    name: string;
    file: string | null;
    message: RegExp;
  }> = [
    {
      name: 'no tag under image',
      file: `${header}image:\n  repository: ghcr.io/acme/storefront-web\n`,
      message: /has no Helm values key image\.tag .*keys are never created/,
    },
    {
      name: 'no image at all',
      file: `${header}resources: {}\n`,
      message: /has no Helm values key image\.tag .*keys are never created/,
    },
    {
      name: 'tag commented out',
      file: `${header}image:\n  repository: ghcr.io/acme/storefront-web\n  # tag: "1.4.2"\n`,
      message: /has no Helm values key image\.tag .*keys are never created/,
    },
    {
      name: 'tag under another parent',
      file: `${header}app:\n  image:\n    tag: "1.4.2"\n`,
      message: /has no Helm values key image\.tag .*keys are never created/,
    },
    {
      name: 'tag in a flow map under another key',
      file: `${header}sidecar: {image: {tag: "1.4.2"}}\n`,
      message: /has no Helm values key image\.tag .*keys are never created/,
    },
    {
      name: 'tag without a value',
      file: `${header}image:\n  repository: ghcr.io/acme/storefront-web\n  tag:\n`,
      message: /image\.tag in .*has no value; set an initial value by hand/,
    },
    {
      name: 'tag is a map',
      file: `${header}image:\n  tag:\n    value: "1.4.2"\n`,
      message: /image\.tag in .* is not a single value \(found a map\)/,
    },
    {
      name: 'tag is a block scalar',
      file: `${header}image:\n  tag: |\n    1.4.2\n`,
      message: /image\.tag in .* is a block scalar/,
    },
    {
      name: 'tag twice in one map',
      file: `${header}image:\n  tag: "1.4.2"\n  tag: "1.4.1"\n`,
      message: /is not valid YAML .*[Mm]ap keys must be unique/,
    },
    {
      name: 'tag in two documents',
      file: `${header}image:\n  tag: "1.4.2"\n---\nimage:\n  tag: "1.4.2"\n`,
      message: /image\.tag in .* is ambiguous: it matches 2 values/,
    },
    {
      name: 'tag anchored and shared',
      file: `${header}image:\n  tag: &v "1.4.2"\nsidecar:\n  tag: *v\n`,
      message: /is ambiguous: its value is shared through anchor &v/,
    },
    {
      name: 'image map aliased twice',
      file: `${header}base: &img\n  tag: "1.4.2"\nimage: *img\nmigrations:\n  image: *img\n`,
      message: /is ambiguous: its value is shared through anchor &img/,
    },
    {
      name: 'not YAML',
      file: `${header}image:\n  tag: "1.4.2\n  repository: [\n`,
      message: /is not valid YAML/,
    },
    {
      name: 'file deleted',
      file: null,
      message: /values\.yaml does not exist on main/,
    },
  ];

  it('refuses a target file without the key or with two candidates: 409, a clear message, no writes', async () => {
    await waitForState();
    // nothing may react to the pushes below (Argo CD syncing them would change the state)
    sandbox.reconciler.stop();
    const client = await github.factory.forRepo(
      `${sandbox.urls.githubWeb}/acme/web-gitops.git`,
    );
    const original = (await client.getFile(VALUES, 'main'))!.content;
    const failures: string[] = [];
    try {
      for (const c of fileCases) {
        await sandbox.github.store.commitFiles('acme', 'web-gitops', {
          message: `bad values: ${c.name}`,
          files: { [VALUES]: c.file },
        });
        const before = await githubSnapshot();
        const writesBefore = sandbox.github.writes();
        const res = await request(backend.server)
          .post('/api/gitops/v1/promotions')
          .set(
            'Authorization',
            mockCredentials.user.header('user:default/jane'),
          )
          .send(valid);
        const message = res.body?.error?.message ?? '';
        if (res.status !== 409 || !c.message.test(message)) {
          failures.push(`${c.name}: ${res.status} ${message}`);
        }
        if (
          (await githubSnapshot()) !== before ||
          JSON.stringify(sandbox.github.writes()) !==
            JSON.stringify(writesBefore)
        ) {
          failures.push(`${c.name}: wrote to GitHub`);
        }
      }
    } finally {
      await sandbox.github.store.commitFiles('acme', 'web-gitops', {
        message: 'restore the values',
        files: { [VALUES]: original },
      });
    }
    expect(failures).toEqual([]);
    expect(fileCases.length).toBeGreaterThanOrEqual(10);
  });

  it('refuses an oversize body with 413', async () => {
    const res = await request(backend.server)
      .post('/api/gitops/v1/promotions')
      .set('Authorization', mockCredentials.user.header('user:default/jane'))
      .send({ ...valid, version: 'a'.repeat(200_000) });
    expect(res.status).toBe(413);
  });
});
