import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { PromotionService } from './PromotionService';

/**
 * Registers the `promote` action for MCP clients and other action callers: the same path as
 * `POST /api/gitops/v1/promotions`, with the caller's permissions and the same audit.
 */
export function registerPromoteAction(options: {
  actionsRegistry: ActionsRegistryService;
  promotions: PromotionService;
}) {
  const { actionsRegistry, promotions } = options;
  actionsRegistry.register({
    name: 'promote',
    title: 'Promote a version between environments',
    description:
      'Opens (or updates) a pull request in the GitOps repository that sets the target ' +
      "environment's desired version of a catalog entity to the version its source environment " +
      'runs Synced and Healthy, after checking the gates (permission, source health, freeze ' +
      'windows). With dryRun true it only returns the plan: gate results and the exact diff. ' +
      'Give an earlier version explicitly to roll back to it. Pass the blobShas of a dry run as ' +
      'expectedBlobShas to promote exactly what it showed: a file changed since is refused. ' +
      'Re-running the same promotion changes nothing; a newer version updates the open pull request, ' +
      'and older open promotion pull requests of the same environment that it supersedes are closed.',
    // Destructive: a promotion closes the older open pull requests it supersedes and force-moves
    // its own branch. Idempotent: the same input with an unchanged source writes nothing again.
    attributes: { destructive: true, idempotent: true, readOnly: false },
    schema: {
      // validated in full by the service, as the REST body is
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('Entity reference, e.g. component:default/checkout-api'),
          from: z.string().describe('Source environment, e.g. staging'),
          to: z.string().describe('Target environment, e.g. prod'),
          version: z
            .string()
            .optional()
            .describe(
              'Version to promote (tag, tag@digest or digest); defaults to what the source runs',
            ),
          targets: z
            .array(z.string())
            .optional()
            .describe(
              'Target clusters; defaults to all clusters of the target environment',
            ),
          dryRun: z
            .boolean()
            .default(true)
            .describe(
              'Only plan: return the gates and the diff, write nothing',
            ),
          expectedBlobShas: z
            .record(z.string(), z.string())
            .optional()
            .describe(
              "Blob shas by path, from a dry run's blobShas: refuse (409, nothing written) if a file changed since",
            ),
        }),
      output: z =>
        z.object({
          id: z.string(),
          outcome: z.enum([
            'dry-run',
            'opened',
            'updated',
            'noop',
            'blocked',
            'failed',
          ]),
          message: z.string(),
          pullRequests: z
            .array(
              z
                .object({
                  url: z.string(),
                  number: z.number(),
                  branch: z.string(),
                  action: z.string(),
                })
                .passthrough(),
            )
            .describe('Pull requests opened, updated or found unchanged'),
          gates: z
            .array(
              z.object({
                gate: z.string(),
                passed: z.boolean(),
                message: z.string(),
              }),
            )
            .describe('Checks made before anything was written'),
          diffs: z
            .array(z.string())
            .describe('Unified diffs of the planned edits'),
          blobShas: z
            .record(z.string(), z.string())
            .describe(
              'Blob shas of the planned files by path; pass them as expectedBlobShas to promote exactly this plan',
            ),
          remainingWaves: z.array(
            z.object({ index: z.number(), clusters: z.array(z.string()) }),
          ),
        }),
    },
    examples: [
      {
        title: 'Preview promoting staging to prod',
        input: {
          entityRef: 'component:default/storefront-web',
          from: 'staging',
          to: 'prod',
          dryRun: true,
        },
      },
      {
        title: 'Promote exactly what a dry run previewed',
        input: {
          entityRef: 'component:default/storefront-web',
          from: 'staging',
          to: 'prod',
          dryRun: false,
          expectedBlobShas: {
            'apps/storefront-web/envs/prod/values.yaml':
              '3b18e512dba79e4c8300dd08aeb37f8e728b8dad',
          },
        },
      },
      {
        title: 'Roll prod back to an earlier version',
        input: {
          entityRef: 'component:default/checkout-api',
          from: 'staging',
          to: 'prod',
          version: '1.4.1',
          dryRun: false,
        },
      },
    ],
    action: async ({ input, credentials }) => {
      const result = await promotions.promote(input, { credentials });
      return {
        output: {
          id: result.id,
          outcome: result.outcome,
          message: result.message,
          pullRequests: result.pullRequests.map(pr => ({
            url: pr.url,
            number: pr.number,
            branch: pr.branch,
            action: pr.action,
            state: pr.state,
            wave: pr.wave,
          })),
          gates: result.plan?.gates ?? [],
          diffs:
            result.plan?.waves.flatMap(w => w.edits.map(e => e.diff)) ?? [],
          blobShas: Object.fromEntries(
            result.plan?.waves.flatMap(w =>
              w.edits.map(e => [e.path, e.blobSha]),
            ) ?? [],
          ),
          remainingWaves: result.remainingWaves ?? [],
        },
      };
    },
  });
}
