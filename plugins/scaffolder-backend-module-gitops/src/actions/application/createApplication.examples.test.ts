import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { createGitopsApplicationCreateAction } from './createApplication';
import { examples } from './createApplication.examples';
import { gitopsConfig, workspaceWithChart } from './__testUtils__/fixtures';

describe('gitops:application:create examples', () => {
  const action = createGitopsApplicationCreateAction({
    config: gitopsConfig(),
  });

  it.each(examples.map(e => [e.description, e.example]))(
    '%s',
    async (_description, example) => {
      const input = yaml.parse(example).steps[0].input;
      const workspace = workspaceWithChart();
      const ctx = createMockActionContext({
        input,
        workspacePath: workspace.path,
      });
      await action.handler(ctx);

      const expectedApps = (
        input.environments ?? [
          { name: 'dev', clusters: ['dev-1'] },
          { name: 'staging', clusters: ['staging-1'] },
          { name: 'prod', clusters: ['prod-eu-1', 'prod-us-1'] },
        ]
      ).flatMap((e: { name: string; clusters?: string[] }) =>
        (e.clusters ?? [`${e.name}-1`]).map(c => `${input.name}-${c}`),
      );
      const applications = (ctx.output as jest.Mock).mock.calls.find(
        ([key]) => key === 'applications',
      )![1];
      expect(applications.map((a: { name: string }) => a.name)).toEqual(
        expectedApps,
      );
      const devValues = yaml.parse(
        workspace.content({
          path: `gitops/apps/${input.name}/envs/dev`,
        })!['values.yaml'] as string,
      );
      const devApp = yaml.parse(
        workspace.content({
          path: 'gitops/clusters/dev-1/apps',
        })![`${input.name}.yaml`] as string,
      );
      expect(devApp.spec.project).toBe(input.project);
      expect(devValues.image).toEqual({
        repository: input.imageRepository,
        tag: input.imageTag ?? '0.1.0',
      });
    },
  );
});
