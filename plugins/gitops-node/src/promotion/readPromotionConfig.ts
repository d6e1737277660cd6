import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { z } from 'zod';
import { readYamlLimits, YamlLimits } from '../yaml';
import { FreezeWindow, parseFreezeWindow } from './freezeWindows';

/** Promotion settings, read from `gitops.environments` and `gitops.promotion`. @public */
export interface PromotionConfig {
  /** Entity refs of users or groups who promote any entity, across teams' repositories. */
  releaseOwners: string[];
  /**
   * Promote even though the permission framework is disabled (`permission.enabled` not true),
   * when every signed-in user may promote every entity.
   */
  allowWithoutPermissions: boolean;
  /** Environments in promotion order, with their clusters. */
  environments: Array<{ name: string; clusters: string[] }>;
  /** Labels put on every promotion pull request. */
  labels: string[];
  /** GitHub users asked to review. */
  reviewers: string[];
  /** GitHub team slugs asked to review (configured as `org/team-slug` in `reviewers`). */
  teamReviewers: string[];
  /** Also ask the owning team (its `github.com/team-slug`) to review. */
  requestOwnerReview: boolean;
  /** Ordered waves of clusters per environment; one pull request per wave. */
  waves: Record<string, string[][]>;
  freezeWindows: FreezeWindow[];
  /** Prefix of promotion branches; the base branch is never written. */
  branchPrefix: string;
  /** `app.baseUrl`, for links back to the entity page. */
  appBaseUrl?: string;
  /** Values files beyond these (`gitops.yamlLimits`) are refused before parsing; defaults apply when absent. */
  yamlLimits?: YamlLimits;
}

const schema = z.object({
  releaseOwners: z.array(z.string()).default([]),
  allowWithoutPermissions: z.boolean().default(false),
  labels: z.array(z.string().min(1).max(50)).default([]),
  reviewers: z.array(z.string().min(1)).default([]),
  requestOwnerReview: z.boolean().default(false),
  waves: z.record(z.array(z.array(z.string()).min(1))).default({}),
  freezeWindows: z
    .array(
      z.object({
        environments: z.array(z.string()).optional(),
        start: z.string(),
        end: z.string(),
        reason: z.string().optional(),
      }),
    )
    .default([]),
  branchPrefix: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/)
    .default('gitops/promote'),
});

/**
 * Reads the promotion settings. Refuses a configuration whose waves name clusters outside their
 * environment or whose freeze windows cannot be parsed.
 *
 * @public
 */
export function readPromotionConfig(config: Config): PromotionConfig {
  const environments = (
    config.getOptionalConfigArray('gitops.environments') ?? []
  ).map(env => ({
    name: env.getString('name'),
    clusters: env.getOptionalStringArray('clusters') ?? [],
  }));
  const raw = config.getOptional('gitops.promotion') ?? {};
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(
      `Invalid gitops.promotion.${issue.path.join('.')}: ${issue.message}`,
    );
  }
  const promotion = parsed.data;
  for (const [environment, waves] of Object.entries(promotion.waves)) {
    const env = environments.find(e => e.name === environment);
    const stray = waves
      .flat()
      .find(cluster => !env?.clusters.includes(cluster));
    if (!env || stray) {
      throw new InputError(
        `Invalid gitops.promotion.waves.${environment}: ${
          env
            ? `cluster ${stray} is not in environment ${environment}`
            : 'no such environment'
        }`,
      );
    }
  }
  return {
    environments,
    releaseOwners: promotion.releaseOwners,
    allowWithoutPermissions: promotion.allowWithoutPermissions,
    labels: promotion.labels,
    reviewers: promotion.reviewers.filter(r => !r.includes('/')),
    teamReviewers: promotion.reviewers
      .filter(r => r.includes('/'))
      .map(r => r.split('/').pop()!),
    requestOwnerReview: promotion.requestOwnerReview,
    waves: promotion.waves,
    freezeWindows: promotion.freezeWindows.map((w, i) =>
      parseFreezeWindow(w, `gitops.promotion.freezeWindows[${i}]`),
    ),
    branchPrefix: promotion.branchPrefix,
    appBaseUrl: config.getOptionalString('app.baseUrl'),
    yamlLimits: readYamlLimits(config),
  };
}
