import { GitopsPromotionClient } from '@backstage-gitops/plugin-gitops-node';
import { PromotionResult } from '@backstage-gitops/plugin-gitops-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createHash } from 'node:crypto';
import { examples } from './promote.examples';

/**
 * Creates the `gitops:promote` action: promotes a version of an entity from one environment to
 * the next through the gitops backend, on behalf of the user who started the task, so gates,
 * permissions and audit are those of the portal's Promote dialog.
 *
 * @public
 */
export function createGitopsPromoteAction(options: {
  client: GitopsPromotionClient;
}) {
  const { client } = options;

  return createTemplateAction({
    id: 'gitops:promote',
    description:
      "Opens (or updates) a pull request that sets the target environment's desired version to the one the source environment runs Synced and Healthy",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z.string({
            description:
              'Entity to promote, e.g. component:default/checkout-api',
          }),
        from: z =>
          z.string({ description: 'Source environment, e.g. staging' }),
        to: z => z.string({ description: 'Target environment, e.g. prod' }),
        version: z =>
          z
            .string({
              description:
                'Version to promote (tag, tag@digest or digest). Defaults to what the source runs; an earlier version from the history rolls back',
            })
            .optional(),
        targets: z =>
          z
            .array(z.string(), {
              description:
                'Target clusters. Defaults to all clusters of the target environment',
            })
            .optional(),
        dryRun: z =>
          z
            .boolean({
              description: 'Only plan: check the gates and compute the diff',
            })
            .optional(),
        // validated in full by the gitops backend (its one request schema), as the REST
        // body and the MCP action's input are
        expectedBlobShas: z =>
          z
            .record(z.string(), z.string(), {
              description:
                "Blob shas by path, from a dry run's blobShas output: the promotion is refused (409) if a file changed since, and nothing is written",
            })
            .optional(),
      },
      output: {
        outcome: z =>
          z.string({
            description: 'dry-run, opened, updated, noop, blocked or failed',
          }),
        message: z => z.string({ description: 'What happened, in a sentence' }),
        pullRequestUrl: z =>
          z
            .string({ description: 'The pull request opened or updated' })
            .optional(),
        pullRequestNumber: z => z.number().optional(),
        branch: z =>
          z.string({ description: 'The promotion branch' }).optional(),
        version: z =>
          z.string({ description: 'The promoted version' }).optional(),
        diff: z =>
          z.string({ description: 'Unified diff of the planned edits' }),
        blobShas: z =>
          z.record(z.string(), z.string(), {
            description:
              'Blob shas of the planned files by path; give them as expectedBlobShas to promote exactly the previewed change',
          }),
      },
    },
    async handler(ctx) {
      const { entityRef, from, to, version, targets, expectedBlobShas } =
        ctx.input;
      const dryRun = ctx.isDryRun || ctx.input.dryRun === true;
      const credentials = await ctx.getInitiatorCredentials();
      const request = {
        entityRef,
        from,
        to,
        version,
        targets,
        dryRun,
        expectedBlobShas,
      };

      ctx.logger.info(
        `${
          dryRun ? 'Planning' : 'Promoting'
        } ${entityRef} from ${from} to ${to}${version ? ` at ${version}` : ''}`,
      );
      // a retried task must not promote twice: the result is kept once the backend answered
      const result: PromotionResult = dryRun
        ? await client.promote(request, { credentials })
        : await ctx.checkpoint({
            key: `gitops-promote:${entityRef}:${from}:${to}:${
              version ?? 'source'
            }:${(targets ?? []).join('+')}${pinsKey(expectedBlobShas)}`,
            fn: async () =>
              JSON.parse(
                JSON.stringify(await client.promote(request, { credentials })),
              ),
          });

      for (const gate of result.plan?.gates ?? []) {
        ctx.logger.info(
          `Gate ${gate.gate}: ${gate.passed ? 'passed' : 'FAILED'}: ${
            gate.message
          }`,
        );
      }
      ctx.logger.info(result.message);

      const [pr] = result.pullRequests;
      ctx.output('outcome', result.outcome);
      ctx.output('message', result.message);
      ctx.output(
        'diff',
        result.plan?.waves.flatMap(w => w.edits.map(e => e.diff)).join('\n') ??
          '',
      );
      ctx.output(
        'blobShas',
        Object.fromEntries(
          result.plan?.waves.flatMap(w =>
            w.edits.map(e => [e.path, e.blobSha]),
          ) ?? [],
        ),
      );
      if (result.plan?.version) {
        ctx.output('version', result.plan.version);
      }
      if (pr) {
        ctx.output('pullRequestUrl', pr.url);
        ctx.output('pullRequestNumber', pr.number);
        ctx.output('branch', pr.branch);
      }
    },
  });
}

/** Distinguishes checkpoints of the same promotion pinned to other files. */
function pinsKey(pins: Record<string, string> | undefined): string {
  if (!pins || Object.keys(pins).length === 0) {
    return '';
  }
  const sorted = Object.keys(pins)
    .sort()
    .map(path => [path, pins[path]]);
  return `:${createHash('sha256')
    .update(JSON.stringify(sorted))
    .digest('hex')
    .slice(0, 12)}`;
}
