import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { gitopsScaffolderModule } from './module';

/** The module's actions as the scaffolder would get them, with the given root config. */
async function actionsWith(gitops: object) {
  const actions: TemplateAction<any, any, any>[] = [];
  await startTestBackend({
    extensionPoints: [
      [
        scaffolderActionsExtensionPoint,
        { addActions: (...added: any[]) => actions.push(...added) },
      ],
    ],
    features: [
      gitopsScaffolderModule,
      catalogServiceMock.factory(),
      mockServices.rootConfig.factory({
        data: {
          gitops: {
            environments: [{ name: 'dev', clusters: ['dev-1'] }],
            clusters: [{ name: 'dev-1' }],
            ...gitops,
          },
        },
      }),
    ],
  });
  return new Map(actions.map(a => [a.id, a]));
}

describe('gitopsScaffolderModule', () => {
  it('registers the actions', async () => {
    const actions = await actionsWith({});
    expect([...actions.keys()].sort()).toEqual([
      'gitops:application:create',
      'gitops:promote',
      'gitops:team:check',
      'gitops:team:resolve',
    ]);
  });

  it("renders with the backend's environment label and version key from the root config", async () => {
    const actions = await actionsWith({
      environmentLabel: 'acme.io/stage',
      versionLocator: { helmValuesKey: 'app.version' },
    });
    const workspace = createMockDirectory();
    workspace.setContent({
      chart: {
        'Chart.yaml': 'apiVersion: v2\nname: golden-path\nversion: 1.0.0\n',
        'values.yaml': 'app:\n  version: ""\n',
      },
    });
    await actions.get('gitops:application:create')!.handler(
      createMockActionContext({
        input: {
          name: 'orders-api',
          owner: 'group:default/team-payments',
          gitopsRepoUrl: 'https://github.com/acme/payments-gitops',
          imageRepository: 'ghcr.io/acme/orders-api',
          project: 'payments',
        },
        workspacePath: workspace.path,
      }),
    );
    const app = yaml.parse(
      workspace.content({ path: 'gitops/clusters/dev-1/apps' })![
        'orders-api.yaml'
      ] as string,
    );
    expect(app.metadata.labels['acme.io/stage']).toBe('dev');
    expect(app.metadata.labels).not.toHaveProperty(
      'gitops.backstage.io/environment',
    );
    const values = yaml.parse(
      workspace.content({ path: 'gitops/apps/orders-api/envs/dev' })![
        'values.yaml'
      ] as string,
    );
    expect(values.app).toEqual({ version: '0.1.0' });
    expect(values.image).toEqual({ repository: 'ghcr.io/acme/orders-api' });
  });
});
