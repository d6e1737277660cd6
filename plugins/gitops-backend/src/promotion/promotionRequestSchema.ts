import { PromotionRequest } from '@backstage-gitops/plugin-gitops-common';
import { MAX_VERSION_LENGTH } from '@backstage-gitops/plugin-gitops-node';
import { InputError } from '@backstage/errors';
import { z } from 'zod';

const name = z
  .string()
  .max(63)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a lowercase name of letters, digits and dashes',
  );

/** The body of `POST /v1/promotions` (and the input of the MCP action). */
export const promotionRequestSchema = z
  .object({
    entityRef: z
      .string()
      .max(320)
      .regex(
        /^[A-Za-z][A-Za-z0-9-]*:(?:[a-z0-9]([-a-z0-9]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9._]*[A-Za-z0-9])?$/,
        'must be an entity reference such as component:default/checkout-api',
      ),
    from: name.describe('Source environment, e.g. staging'),
    to: name.describe('Target environment, e.g. prod'),
    version: z
      .string()
      .min(1)
      .max(MAX_VERSION_LENGTH)
      .optional()
      .describe(
        'Version to promote (tag, tag@digest or digest); defaults to what the source runs',
      ),
    targets: z
      .array(name)
      .min(1)
      .max(50)
      .optional()
      .describe(
        'Target clusters; defaults to all clusters of the target environment',
      ),
    dryRun: z
      .boolean()
      .default(false)
      .describe('Plan only: gates and diff, nothing written'),
    expectedBlobShas: z
      .record(
        z
          .string()
          .max(1024)
          .regex(
            // segments joined by single slashes, none of them . or ..: a path the plan can name
            /^(?!.*(?:^|\/)\.{1,2}(?:\/|$))[A-Za-z0-9._-]+(?:\/[A-Za-z0-9._-]+)*$/,
            "must be a plain path inside the repository: names of letters, digits, '.', '_' and '-' joined by single '/', such as apps/checkout/envs/prod/values.yaml",
          ),
        z
          .string()
          .regex(
            /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/,
            'must be a blob sha: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits, as a dry run returns it',
          ),
      )
      .optional()
      .describe(
        'Blob shas of a dry run, by path: refuse if a file changed since',
      ),
  })
  .strict();

/** Validates a promotion request, with a 400 that names the offending field. */
export function parsePromotionRequest(body: unknown): PromotionRequest {
  const parsed = promotionRequestSchema.safeParse(body);
  if (!parsed.success) {
    const messages = parsed.error.issues.map(issue =>
      issue.path.length
        ? `${issue.path.join('.')}: ${issue.message}`
        : issue.message,
    );
    throw new InputError(`Invalid promotion request: ${messages.join('; ')}`);
  }
  return parsed.data;
}
