import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  Sandbox,
  sandboxCatalogEntities,
  sandboxPortalConfig,
} from '@internal/gitops-sandbox';
// the plugin under test, as the portal's backend adds it
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import gitopsPlugin from '@backstage-gitops/plugin-gitops-backend';
import request from 'supertest';
import { BadRequest, badRequests, inputKey, valid } from './badRequests';
import { countingGithubFactory, startPromotionSandbox } from './sandboxWorld';

jest.setTimeout(180_000);

describe('bad promotion requests against the sandbox', () => {
  let sandbox: Sandbox;
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  let github: ReturnType<typeof countingGithubFactory>;

  beforeAll(async () => {
    sandbox = await startPromotionSandbox();
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
                owner: 'group:default/team-web',
              },
            },
            // the owner Groups, whose gitops/repo-url a promotion must stay within
            ...sandboxCatalogEntities(sandbox).filter(e => e.kind === 'Group'),
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

  const cases = badRequests();

  /** Sends one bad request as its body says: JSON, or raw text with a content type. */
  function send(c: BadRequest) {
    const post = request(backend.server)
      .post('/api/gitops/v1/promotions')
      .set('Authorization', mockCredentials.user.header('user:default/jane'));
    return 'json' in c.body
      ? post.send(c.body.json as object)
      : post.set('Content-Type', c.body.contentType).send(c.body.raw);
  }

  /** Writes the GitHub stand-in counted, over all repositories. */
  function githubWrites(): number {
    return Object.values(sandbox.github.writes()).reduce((a, b) => a + b, 0);
  }

  it('has at least 200 distinct bad inputs', () => {
    const distinct = new Set(cases.map(c => inputKey(c.body)));
    expect(distinct.size).toBe(cases.length);
    expect(distinct.size).toBeGreaterThanOrEqual(200);
  });

  it('answers every bad request with a clear 4xx and writes nothing to GitHub', async () => {
    await waitForState();
    const before = await githubSnapshot();
    const writesBefore = githubWrites();
    const failures: string[] = [];
    for (const c of cases) {
      const res = await send(c);
      const message = res.body?.error?.message ?? '';
      if (res.status !== c.status || !c.message.test(message)) {
        failures.push(
          `${c.group}: ${c.name}: ${res.status} ${message.slice(0, 300)}`,
        );
      }
    }
    expect(failures).toEqual([]);
    expect(await githubSnapshot()).toBe(before);
    expect(githubWrites() - writesBefore).toBe(0);
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
});
