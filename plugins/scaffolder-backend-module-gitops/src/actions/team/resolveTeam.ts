import { ANNOTATION_GITOPS_REPO_URL } from '@backstage-gitops/plugin-gitops-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { validateProjectName } from '../application/validateNames';
import { ANNOTATION_GITOPS_ARGOCD_PROJECT } from './annotations';
import { examples } from './resolveTeam.examples';
import { parseGitopsRepoUrl } from './parseGitopsRepoUrl';

/**
 * Creates the `gitops:team:resolve` action: reads the owning Group's GitOps repository from its
 * `gitops/repo-url` annotation, so users never type it, and the Argo CD project of its
 * Applications from its `gitops/argocd-project` annotation.
 *
 * @public
 */
export function createGitopsTeamResolveAction(options: {
  catalog: CatalogService;
  integrations: ScmIntegrationRegistry;
}) {
  const { catalog, integrations } = options;

  return createTemplateAction({
    id: 'gitops:team:resolve',
    description: `Resolves the owning team's GitOps repository from the ${ANNOTATION_GITOPS_REPO_URL} annotation of its Group entity`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        owner: z =>
          z.string({
            description:
              'Entity ref of the owning Group, as the OwnerPicker returns it (e.g. group:default/team-payments)',
          }),
      },
      output: {
        repoUrl: z =>
          z.string({
            description:
              'The GitOps repository in RepoUrlPicker form (host?owner=..&repo=..), for publish:github:pull-request',
          }),
        url: z =>
          z.string({
            description:
              'Browsable URL of the GitOps repository; Argo CD Applications use it with .git appended',
          }),
        host: z => z.string(),
        serverUrl: z =>
          z.string({
            description:
              'Scheme and host of the GitOps repository, e.g. https://github.com, for CI checking it out',
          }),
        owner: z => z.string({ description: 'Owner of the GitOps repository' }),
        repo: z => z.string({ description: 'Name of the GitOps repository' }),
        defaultBranch: z =>
          z.string({
            description:
              'Branch Argo CD tracks (from a /tree/<branch> suffix; otherwise main)',
          }),
        team: z => z.string({ description: 'Name of the owning Group' }),
        teamRef: z =>
          z.string({ description: 'Full entity ref of the owning Group' }),
        project: z =>
          z
            .string({
              description: `Argo CD project of the team's Applications, from the ${ANNOTATION_GITOPS_ARGOCD_PROJECT} annotation; absent when the Group has none`,
            })
            .optional(),
      },
    },
    async handler(ctx) {
      const { owner } = ctx.input;

      let ref;
      try {
        ref = parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        });
      } catch (error) {
        throw new InputError(`Invalid owner '${owner}': ${error}`);
      }
      if (ref.kind.toLocaleLowerCase('en-US') !== 'group') {
        throw new InputError(
          `The owner must be a Group with a GitOps repository, but '${owner}' is a ${ref.kind}; pick the team that runs the service`,
        );
      }
      const teamRef = stringifyEntityRef(ref);

      const group = await catalog.getEntityByRef(teamRef, {
        credentials: await ctx.getInitiatorCredentials(),
      });
      if (!group) {
        throw new InputError(
          `The owner ${teamRef} does not exist in the catalog`,
        );
      }

      const annotation =
        group.metadata.annotations?.[ANNOTATION_GITOPS_REPO_URL];
      if (!annotation) {
        throw new InputError(
          `The team ${teamRef} has no GitOps repository: add the annotation ${ANNOTATION_GITOPS_REPO_URL} (e.g. https://github.com/acme/${ref.name}-gitops) to its Group entity, or pick another owner`,
        );
      }
      const location = parseGitopsRepoUrl(annotation, `The team ${teamRef}`);
      if (!integrations.github.byHost(location.host)) {
        throw new InputError(
          `The GitOps repository of ${teamRef} is on ${location.host}, which has no GitHub integration configured (integrations.github)`,
        );
      }

      const project =
        group.metadata.annotations?.[ANNOTATION_GITOPS_ARGOCD_PROJECT]?.trim();
      if (project !== undefined) {
        try {
          validateProjectName(project);
        } catch (error) {
          throw new InputError(
            `The annotation ${ANNOTATION_GITOPS_ARGOCD_PROJECT} of ${teamRef} is not usable: ${
              (error as Error).message
            }`,
          );
        }
      }

      ctx.logger.info(
        `GitOps repository of ${teamRef}: ${location.url} (branch ${
          location.defaultBranch
        })${project ? `, Argo CD project ${project}` : ''}`,
      );

      const params = new URLSearchParams({
        owner: location.owner,
        repo: location.repo,
      });
      ctx.output('repoUrl', `${location.host}?${params}`);
      ctx.output('url', location.url);
      ctx.output('host', location.host);
      ctx.output('serverUrl', new URL(location.url).origin);
      ctx.output('owner', location.owner);
      ctx.output('repo', location.repo);
      ctx.output('defaultBranch', location.defaultBranch);
      ctx.output('team', ref.name);
      ctx.output('teamRef', teamRef);
      if (project) {
        ctx.output('project', project);
      }
    },
  });
}
