import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { createGithubClient } from '@backstage-gitops/plugin-gitops-node';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { validateServiceName } from '../application/validateNames';
import { checkGitopsRepo } from './checkGitopsRepo';
import { examples } from './checkTeam.examples';
import { parseGitopsRepoUrl } from './parseGitopsRepoUrl';

/**
 * Creates the `gitops:team:check` action: before the template writes anything, checks that the
 * team's GitOps repository is reachable and writable with the integration's credentials, and
 * that the new service exists neither there nor in the catalog.
 *
 * @public
 */
export function createGitopsTeamCheckAction(options: {
  catalog: CatalogService;
  integrations: ScmIntegrationRegistry;
}) {
  const { catalog, integrations } = options;

  return createTemplateAction({
    id: 'gitops:team:check',
    description:
      "Checks that the team's GitOps repository can receive a new service and that the service name is free there and in the catalog; writes nothing",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string({ description: 'Name of the new service' }),
        repoUrl: z =>
          z.string({
            description:
              "URL of the team's GitOps repository (the url output of gitops:team:resolve)",
          }),
        branch: z =>
          z
            .string({
              description:
                'Branch the pull request targets (the defaultBranch output of gitops:team:resolve); default main',
            })
            .optional(),
        system: z =>
          z
            .string({
              description:
                'System the new service belongs to (optional): it must exist in the catalog',
            })
            .optional(),
      },
    },
    async handler(ctx) {
      const { name, repoUrl, branch, system } = ctx.input;
      validateServiceName(name);
      const credentials = await ctx.getInitiatorCredentials();
      if (system) {
        await checkSystem(catalog, system, credentials);
      }

      const { items } = await catalog.getEntities(
        { filter: { kind: 'Component', 'metadata.name': name } },
        { credentials },
      );
      if (items.length) {
        throw new ConflictError(
          `The catalog already has a Component named ${name} (${items
            .map(entity => stringifyEntityRef(entity))
            .join(', ')}): pick another name for the new service`,
        );
      }

      const parsed = parseGitopsRepoUrl(repoUrl, 'The GitOps repository');
      const location = {
        ...parsed,
        defaultBranch: branch || parsed.defaultBranch,
      };
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: not reading ${location.url}; a real run checks it is writable and has no ${name} yet`,
        );
        return;
      }
      const octokit = await createGithubClient({
        integrations,
        repoUrl: location.url,
        logger: ctx.logger,
      });
      await checkGitopsRepo({ octokit, location, service: name });
      ctx.logger.info(
        `${location.url} (branch ${location.defaultBranch}) can receive ${name}; the catalog has no ${name} yet`,
      );
    },
  });
}

/** The new entity's `spec.system` must name a System the catalog has (and the user may read). */
async function checkSystem(
  catalog: CatalogService,
  system: string,
  credentials: BackstageCredentials,
) {
  let ref;
  try {
    ref = parseEntityRef(system, { defaultKind: 'system' });
  } catch (error) {
    throw new InputError(
      `Invalid system ${JSON.stringify(system)}: ${
        (error as Error).message
      }; give a reference such as system:default/commerce`,
    );
  }
  if (ref.kind.toLocaleLowerCase('en-US') !== 'system') {
    throw new InputError(
      `${stringifyEntityRef(
        ref,
      )} is not a System; pick the new service's system`,
    );
  }
  const entity = await catalog.getEntityByRef(ref, { credentials });
  if (!entity) {
    throw new InputError(
      `The catalog has no system ${stringifyEntityRef(
        ref,
      )}; pick an existing system, or leave it empty`,
    );
  }
}
