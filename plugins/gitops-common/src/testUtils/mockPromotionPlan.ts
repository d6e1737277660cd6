import type { PromotionPlan } from '../promotion';

/**
 * Options of {@link mockPromotionPlan}: the service and versions, and any field of
 * {@link PromotionPlan} to override.
 *
 * @public
 */
export interface MockPromotionPlanOptions extends Partial<PromotionPlan> {
  /** The service promoted. Defaults to `checkout-api`. */
  service?: string;
  /** The version the target runs before. Defaults to `1.4.2`. */
  fromVersion?: string;
  /** The GitOps repository edited. Defaults to `https://github.example/acme/gitops.git`. */
  repoUrl?: string;
}

/**
 * A plan to promote `version` (default `1.5.0`) of a service from staging to prod's two
 * clusters, prod-eu-1 and prod-us-1: the permission gate passed, one wave, one edit of the
 * target's Helm values (`-  tag: <fromVersion>` / `+  tag: <version>`).
 *
 * @public
 */
export function mockPromotionPlan(
  options: MockPromotionPlanOptions = {},
): PromotionPlan {
  const {
    service = 'checkout-api',
    fromVersion = '1.4.2',
    repoUrl = 'https://github.example/acme/gitops.git',
    from = 'staging',
    to = 'prod',
    version = '1.5.0',
    targets = ['prod-eu-1', 'prod-us-1'],
    ...overrides
  } = options;
  return {
    entityRef: `component:default/${service}`,
    from,
    to,
    version,
    targets,
    gates: [{ gate: 'permission', passed: true, message: 'may promote' }],
    waves: [
      {
        index: 0,
        clusters: targets,
        branch: `gitops/promote/${service}/${to}`,
        edits: [
          {
            repoUrl,
            baseBranch: 'main',
            path: `apps/${service}/envs/${to}/values.yaml`,
            blobSha: 'a'.repeat(40),
            clusters: targets,
            fromVersion,
            toVersion: version,
            diff: `-  tag: ${fromVersion}\n+  tag: ${version}\n`,
          },
        ],
      },
    ],
    noop: false,
    ...overrides,
  };
}
