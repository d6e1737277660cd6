import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createGitopsApplicationCreateAction } from './createApplication';
import { gitopsConfig, workspaceWithChart } from './__testUtils__/fixtures';

const baseInput = {
  name: 'orders-api',
  owner: 'group:default/team-payments',
  gitopsRepoUrl: 'http://localhost:7480/acme/payments-gitops',
  imageRepository: 'ghcr.io/acme/orders-api',
  project: 'payments',
};

async function render(
  input: Record<string, unknown> = {},
  config = gitopsConfig(),
  workspace = workspaceWithChart(),
) {
  const action = createGitopsApplicationCreateAction({ config });
  const ctx = createMockActionContext({
    input: { ...baseInput, ...input } as any,
    workspacePath: workspace.path,
  });
  await action.handler(ctx);
  const outputs = Object.fromEntries(
    (ctx.output as jest.Mock).mock.calls.map(([k, v]) => [k, v]),
  );
  const read = (file: string) => {
    const dir = file.split('/').slice(0, -1).join('/');
    const text = workspace.content({ path: `gitops/${dir}` })![
      file.split('/').pop()!
    ];
    return yaml.parse(text as string);
  };
  const tree = () => workspace.content({ path: 'gitops' }) ?? {};
  return { outputs, workspace, read, tree };
}

function flatten(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'string'
      ? [`${prefix}${key}`]
      : flatten(value as Record<string, unknown>, `${prefix}${key}/`),
  );
}

describe('gitops:application:create', () => {
  it('renders values per environment and an Application per environment and cluster', async () => {
    const { outputs, workspace } = await render();
    const files = flatten(workspace.content({ path: 'gitops' }) as any).sort();
    expect(files).toEqual([
      'apps/orders-api/Chart.yaml',
      'apps/orders-api/envs/dev/values.yaml',
      'apps/orders-api/envs/prod/values.yaml',
      'apps/orders-api/envs/staging/values.yaml',
      'apps/orders-api/templates/deployment.yaml',
      'apps/orders-api/values.yaml',
      'clusters/dev-1/apps/orders-api.yaml',
      'clusters/prod-eu-1/apps/orders-api.yaml',
      'clusters/prod-us-1/apps/orders-api.yaml',
      'clusters/staging-1/apps/orders-api.yaml',
    ]);
    expect(outputs.chartVersion).toBe('1.2.3');
    expect(outputs.applications).toEqual([
      {
        name: 'orders-api-dev-1',
        environment: 'dev',
        cluster: 'dev-1',
        path: 'clusters/dev-1/apps/orders-api.yaml',
      },
      {
        name: 'orders-api-staging-1',
        environment: 'staging',
        cluster: 'staging-1',
        path: 'clusters/staging-1/apps/orders-api.yaml',
      },
      {
        name: 'orders-api-prod-eu-1',
        environment: 'prod',
        cluster: 'prod-eu-1',
        path: 'clusters/prod-eu-1/apps/orders-api.yaml',
      },
      {
        name: 'orders-api-prod-us-1',
        environment: 'prod',
        cluster: 'prod-us-1',
        path: 'clusters/prod-us-1/apps/orders-api.yaml',
      },
    ]);
    expect(outputs.files).toHaveLength(7);
  });

  it('writes Applications the state backend can match and Argo CD can sync', async () => {
    const { workspace } = await render();
    const app = yaml.parse(
      workspace.content({ path: 'gitops/clusters/prod-us-1/apps' })![
        'orders-api.yaml'
      ] as string,
    );
    expect(app).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'orders-api-prod-us-1',
        namespace: 'argocd',
        labels: {
          'app.kubernetes.io/name': 'orders-api',
          'app.kubernetes.io/part-of': 'team-payments',
          'backstage.io/kubernetes-id': 'orders-api',
          'gitops.backstage.io/environment': 'prod',
        },
      },
      spec: {
        project: 'payments',
        destination: { name: 'prod-us-1', namespace: 'orders-api' },
        source: {
          repoURL: 'http://localhost:7480/acme/payments-gitops.git',
          targetRevision: 'main',
          path: 'apps/orders-api',
          helm: {
            releaseName: 'orders-api',
            valueFiles: ['envs/prod/values.yaml'],
          },
        },
        syncPolicy: { syncOptions: ['CreateNamespace=true'] },
      },
    });
  });

  it('syncs dev and staging automatically with selfHeal and without prune, prod by hand', async () => {
    const { workspace } = await render();
    const policy = (cluster: string) =>
      yaml.parse(
        workspace.content({ path: `gitops/clusters/${cluster}/apps` })![
          'orders-api.yaml'
        ] as string,
      ).spec.syncPolicy;
    expect(policy('dev-1').automated).toEqual({ prune: false, selfHeal: true });
    expect(policy('staging-1').automated).toEqual({
      prune: false,
      selfHeal: true,
    });
    expect(policy('prod-eu-1').automated).toBeUndefined();
    expect(policy('prod-us-1').automated).toBeUndefined();
  });

  it('takes project, sync policy and prune from config, and the input over config', async () => {
    const config = gitopsConfig({
      project: 'services',
      prune: true,
      syncPolicy: { prod: 'automated', staging: 'manual' },
    });
    const fromConfig = await render({ project: undefined }, config);
    const app = (w: typeof fromConfig.workspace, cluster: string) =>
      yaml.parse(
        w.content({ path: `gitops/clusters/${cluster}/apps` })![
          'orders-api.yaml'
        ] as string,
      );
    expect(app(fromConfig.workspace, 'prod-eu-1').spec.project).toBe(
      'services',
    );
    expect(
      app(fromConfig.workspace, 'prod-eu-1').spec.syncPolicy.automated,
    ).toEqual({ prune: true, selfHeal: true });
    expect(
      app(fromConfig.workspace, 'staging-1').spec.syncPolicy.automated,
    ).toBeUndefined();

    const fromInput = await render(
      { project: 'checkout', prune: false, syncPolicy: { prod: 'manual' } },
      config,
    );
    expect(app(fromInput.workspace, 'prod-eu-1').spec.project).toBe('checkout');
    expect(
      app(fromInput.workspace, 'prod-eu-1').spec.syncPolicy.automated,
    ).toBeUndefined();
    expect(
      app(fromInput.workspace, 'dev-1').spec.syncPolicy.automated.prune,
    ).toBe(false);
  });

  it.each([[{ project: undefined }], [{ project: '' }]])(
    'refuses to guess the Argo CD project when neither the team nor config sets one (%j)',
    async input => {
      const workspace = workspaceWithChart();
      await expect(
        render(input, gitopsConfig(), workspace),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /No Argo CD project for the Applications of orders-api: add the annotation gitops\/argocd-project .* to the owner Group group:default\/team-payments, or set gitops\.template\.project/,
        ),
      });
      expect(workspace.content({ path: 'gitops' })).toBeUndefined();
    },
  );

  it('writes values with the image, the initial tag, the port and the team', async () => {
    const { workspace } = await render({ imageTag: '2.0.1', port: 3000 });
    const text = workspace.content({
      path: 'gitops/apps/orders-api/envs/staging',
    })!['values.yaml'] as string;
    expect(yaml.parse(text)).toEqual({
      image: { repository: 'ghcr.io/acme/orders-api', tag: '2.0.1' },
      containerPort: 3000,
      partOf: 'team-payments',
    });
    expect(text).toMatch(
      /^# orders-api in staging, over the golden-path chart 1\.2\.3/,
    );
  });

  it("follows the state backend's config: environment label and version key", async () => {
    const config = gitopsConfig(undefined, {
      environmentLabel: 'acme.io/stage',
      versionLocator: { helmValuesKey: 'app.version' },
    });
    const workspace = workspaceWithChart(
      '1.2.3',
      'image:\n  repository: ""\napp:\n  version: ""\n',
    );
    const { outputs, read } = await render({}, config, workspace);
    const app = read('clusters/prod-eu-1/apps/orders-api.yaml');
    expect(app.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'orders-api',
      'app.kubernetes.io/part-of': 'team-payments',
      'backstage.io/kubernetes-id': 'orders-api',
      'acme.io/stage': 'prod',
    });
    expect(read('apps/orders-api/envs/dev/values.yaml')).toEqual({
      image: { repository: 'ghcr.io/acme/orders-api' },
      app: { version: '0.1.0' },
      containerPort: 8080,
      partOf: 'team-payments',
    });
    expect(outputs.versionKey).toBe('app.version');
  });

  it('defaults to the label gitops.backstage.io/environment and the key image.tag', async () => {
    const { outputs, read } = await render();
    expect(
      read('clusters/dev-1/apps/orders-api.yaml').metadata.labels,
    ).toMatchObject({ 'gitops.backstage.io/environment': 'dev' });
    expect(read('apps/orders-api/envs/dev/values.yaml').image.tag).toBe(
      '0.1.0',
    );
    expect(outputs.versionKey).toBe('image.tag');
  });

  it('refuses a chart that does not declare the configured version key, writing nothing', async () => {
    const config = gitopsConfig(undefined, {
      versionLocator: { helmValuesKey: 'app.version' },
    });
    const workspace = workspaceWithChart();
    await expect(render({}, config, workspace)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'The chart golden-path 1.2.3 has no app.version in its values.yaml',
      ),
    });
    expect(workspace.content({ path: 'gitops' })).toBeUndefined();
  });

  it.each(['deployments[0].image.tag', 'image..tag', 'image.my-tag'])(
    'refuses a helmValuesKey it cannot write (%s) when the action is created',
    helmValuesKey => {
      expect(() =>
        createGitopsApplicationCreateAction({
          config: gitopsConfig(undefined, {
            versionLocator: { helmValuesKey },
          }),
        }),
      ).toThrow(
        `gitops.versionLocator.helmValuesKey '${helmValuesKey}' cannot be written by gitops:application:create`,
      );
    },
  );

  it('places only the requested environments and clusters, in the configured order', async () => {
    const { outputs } = await render({
      environments: [
        { name: 'prod', clusters: ['prod-eu-1'] },
        { name: 'dev' },
      ],
    });
    expect(outputs.applications.map((a: { name: string }) => a.name)).toEqual([
      'orders-api-dev-1',
      'orders-api-prod-eu-1',
    ]);
  });

  it.each([
    [{ name: 'Orders_API' }, /Invalid service name 'Orders_API'/],
    [{ name: '1orders' }, /Invalid service name '1orders'/],
    [{ name: 'a'.repeat(41) }, /at most 40 characters/],
    [{ imageTag: 'latest' }, /Image tag 'latest' moves between builds/],
    [{ imageRepository: 'ghcr.io/acme/x:1.0' }, /Invalid image repository/],
    [{ port: 80 }, /Invalid port 80/],
    [
      { environments: [{ name: 'qa' }] },
      /Unknown environment 'qa'; configured environments are dev, staging, prod/,
    ],
    [
      { environments: [{ name: 'prod', clusters: ['prod-mars-1'] }] },
      /Unknown cluster 'prod-mars-1' in environment 'prod'/,
    ],
    [
      { environments: [{ name: 'prod', clusters: ['dev-1'] }] },
      /Cluster 'dev-1' does not belong to environment 'prod'/,
    ],
    [
      { environments: [{ name: 'dev' }, { name: 'dev' }] },
      /Environment 'dev' is listed twice/,
    ],
    [{ syncPolicy: { qa: 'manual' } }, /syncPolicy names environment 'qa'/],
    [{ chartPath: './nothing' }, /No Helm chart found/],
    [{ gitopsRepoUrl: 'not a url' }, /Invalid GitOps repository URL/],
    [{ project: 'Payments_Team' }, /Invalid Argo CD project 'Payments_Team'/],
  ])(
    'rejects %j with a clear message and writes nothing',
    async (input, message) => {
      const workspace = workspaceWithChart();
      await expect(
        render(input, gitopsConfig(), workspace),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
      expect(workspace.content({ path: 'gitops' })).toBeUndefined();
    },
  );

  it('refuses a chart whose version is not pinned', async () => {
    const workspace = workspaceWithChart('^1.0.0');
    await expect(render({}, gitopsConfig(), workspace)).rejects.toThrow(
      /must pin an exact semver version, found '\^1\.0\.0'/,
    );
    expect(workspace.content({ path: 'gitops' })).toBeUndefined();
  });

  it('refuses to render outside the workspace', async () => {
    await expect(render({ targetPath: '../elsewhere' })).rejects.toThrow(
      /outside its parent/,
    );
  });
});
