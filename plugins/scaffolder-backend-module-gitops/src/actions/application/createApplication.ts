import { parseEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  parseGithubRepositoryUrl,
  readGitopsConfig,
} from '@backstage-gitops/plugin-gitops-node';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ANNOTATION_GITOPS_ARGOCD_PROJECT } from '../team/annotations';
import { examples } from './createApplication.examples';
import {
  applicationFile,
  chartFolder,
  readStateConventions,
  renderApplication,
  renderValues,
  ServiceSpec,
  valuesFile,
} from './renderManifests';
import { resolvePlacements } from './resolvePlacements';
import {
  validateImageRepository,
  validateImageTag,
  validateProjectName,
  validateServiceName,
} from './validateNames';
import { chartDeclares, readChart, vendorChart } from './vendorChart';

function toCloneUrl(url: string): string {
  try {
    return parseGithubRepositoryUrl(url).cloneUrl;
  } catch (error) {
    throw new InputError(
      `Invalid GitOps repository URL: ${(error as Error).message}`,
    );
  }
}

function teamName(owner: string): string {
  try {
    return parseEntityRef(owner, {
      defaultKind: 'group',
      defaultNamespace: 'default',
    }).name;
  } catch (error) {
    throw new InputError(`Invalid owner '${owner}': ${error}`);
  }
}

/**
 * Creates the `gitops:application:create` action: renders a new service's GitOps content into
 * the workspace, in the layout of a team's GitOps repository: the vendored golden-path chart
 * and one values file per environment under `apps/<service>/`, and one Argo CD Application per
 * environment and cluster under `clusters/<cluster>/apps/<service>.yaml`. Publishing it is left
 * to `publish:github:pull-request`.
 *
 * @public
 */
export function createGitopsApplicationCreateAction(options: {
  config: Config;
}) {
  // Read once: a bad gitops config, or a helmValuesKey the action cannot write, fails the
  // backend's start.
  const gitops = readGitopsConfig(options.config);
  const conventions = readStateConventions(gitops);

  return createTemplateAction({
    id: 'gitops:application:create',
    description:
      "Renders a new service's values files over the golden-path chart and its Argo CD Applications into the workspace",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z.string({
            description:
              'Name of the service: namespace, Helm release and prefix of its Applications (<name>-<cluster>)',
          }),
        owner: z =>
          z.string({
            description:
              'Owning Group (entity ref or name); its name becomes the app.kubernetes.io/part-of label',
          }),
        gitopsRepoUrl: z =>
          z.string({
            description:
              "URL of the team's GitOps repository (the url output of gitops:team:resolve)",
          }),
        targetRevision: z =>
          z.string({ description: 'Branch Argo CD tracks' }).optional(),
        imageRepository: z =>
          z.string({
            description: 'Image repository, e.g. ghcr.io/acme/checkout-api',
          }),
        imageTag: z =>
          z
            .string({
              description:
                'Initial immutable image tag in every environment (default 0.1.0); CI bumps dev from there',
            })
            .optional(),
        port: z =>
          z
            .number({
              description: 'Port the container listens on (default 8080)',
            })
            .int()
            .optional(),
        environments: z =>
          z
            .array(
              z.object({
                name: z.string(),
                clusters: z.array(z.string()).optional(),
              }),
              {
                description:
                  'Environments and their clusters; default: every configured environment (gitops.environments) with its clusters',
              },
            )
            .optional(),
        syncPolicy: z =>
          z
            .record(z.enum(['automated', 'manual']), {
              description:
                'Sync policy per environment; default from gitops.template.syncPolicy, else automated with selfHeal but manual in the last environment',
            })
            .optional(),
        prune: z =>
          z
            .boolean({
              description:
                'Whether automated syncs prune; default gitops.template.prune, else false',
            })
            .optional(),
        project: z =>
          z
            .string({
              description: `Argo CD project: the project output of gitops:team:resolve (the owner Group's ${ANNOTATION_GITOPS_ARGOCD_PROJECT} annotation); default gitops.template.project. Required when neither is set`,
            })
            .optional(),
        chartPath: z =>
          z
            .string({
              description:
                'Workspace path of the fetched golden-path chart to vendor (default ./chart)',
            })
            .optional(),
        targetPath: z =>
          z
            .string({
              description:
                'Workspace path to render the GitOps content into, the sourcePath of the pull request (default ./gitops)',
            })
            .optional(),
      },
      output: {
        applications: z =>
          z.array(
            z.object({
              name: z.string(),
              environment: z.string(),
              cluster: z.string(),
              path: z.string(),
            }),
            { description: 'The rendered Applications and their files' },
          ),
        chartVersion: z =>
          z.string({ description: 'Version of the vendored chart' }),
        versionKey: z =>
          z.string({
            description:
              "Dotted key of the image tag in the values files (gitops.versionLocator.helmValuesKey, default image.tag), for the service's CI",
          }),
        files: z =>
          z.array(z.string(), {
            description: 'Every file written, relative to targetPath',
          }),
      },
    },
    async handler(ctx) {
      // The scaffolder validates inputs against the schema but does not apply its defaults.
      const {
        targetRevision = 'main',
        imageTag = '0.1.0',
        port = 8080,
        chartPath = './chart',
        targetPath = './gitops',
        ...input
      } = ctx.input;

      // Everything is checked before the first file is written.
      validateServiceName(input.name);
      validateImageRepository(input.imageRepository);
      validateImageTag(imageTag);
      if (port < 1024 || port > 65535) {
        throw new InputError(
          `Invalid port ${port}: the container runs as non-root, so use 1024-65535`,
        );
      }
      const team = teamName(input.owner);
      const project = input.project || gitops.template.project;
      if (!project) {
        // A guessed project that Argo CD does not know would make every Application fail.
        throw new InputError(
          `No Argo CD project for the Applications of ${input.name}: add the annotation ${ANNOTATION_GITOPS_ARGOCD_PROJECT} (e.g. ${team}) to the owner Group ${input.owner}, or set gitops.template.project in app-config.yaml`,
        );
      }
      validateProjectName(project);
      const placements = resolvePlacements({
        gitops,
        requested: input.environments,
        syncPolicy: input.syncPolicy,
      });
      const chart = await readChart(
        resolveSafeChildPath(ctx.workspacePath, chartPath),
      );
      if (!chartDeclares(chart, conventions.versionKey)) {
        const key = conventions.versionKey.join('.');
        throw new InputError(
          `The chart ${chart.name} ${chart.version} has no ${key} in its values.yaml, where the GitOps tab and promotions read the version (gitops.versionLocator.helmValuesKey): declare ${key} in the chart or point the key at the chart's image tag`,
        );
      }
      const targetDir = resolveSafeChildPath(ctx.workspacePath, targetPath);
      const serviceDir = path.join(targetDir, chartFolder(input.name));
      if (await exists(serviceDir)) {
        throw new InputError(
          `${path.join(
            targetPath,
            chartFolder(input.name),
          )} already exists in the workspace`,
        );
      }

      const spec: ServiceSpec = {
        name: input.name,
        team,
        project,
        repoURL: toCloneUrl(input.gitopsRepoUrl),
        targetRevision,
        imageRepository: input.imageRepository,
        imageTag,
        port,
        prune: input.prune ?? gitops.template.prune,
        conventions,
      };

      const files = new Map<string, string>();
      const applications = [];
      for (const placement of placements) {
        files.set(
          `${chartFolder(spec.name)}/${valuesFile(placement.environment)}`,
          renderValues(spec, placement.environment, chart.version),
        );
        for (const cluster of placement.clusters) {
          const file = applicationFile(cluster, spec.name);
          files.set(file, renderApplication(spec, placement, cluster));
          applications.push({
            name: `${spec.name}-${cluster}`,
            environment: placement.environment,
            cluster,
            path: file,
          });
        }
      }

      await vendorChart(chart, serviceDir);
      for (const [file, content] of files) {
        const target = path.join(targetDir, file);
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.writeFile(target, content, 'utf8');
      }

      ctx.logger.info(
        `Rendered ${applications.length} Applications of ${
          spec.name
        } (${placements
          .map(p => `${p.environment}: ${p.clusters.join(', ')} ${p.sync}`)
          .join('; ')}) over golden-path ${chart.version}`,
      );
      ctx.output('applications', applications);
      ctx.output('chartVersion', chart.version);
      ctx.output('versionKey', conventions.versionKey.join('.'));
      ctx.output('files', [...files.keys()]);
    },
  });
}

async function exists(p: string): Promise<boolean> {
  try {
    await fs.stat(p);
    return true;
  } catch {
    return false;
  }
}
