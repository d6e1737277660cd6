import { Config } from '@backstage/config';
import { FreezeWindow, parseFreezeWindow } from '../promotion/freezeWindows';
import { YamlLimits } from '../yaml';
import { ConfigProblems, readWholeNumber } from './configProblems';
import { GITOPS_CONFIG_DEFAULTS } from './defaults';

/** Promotion settings, read from `gitops.environments` and `gitops.promotion`. @public */
export interface PromotionConfig {
  /** Environments in promotion order, with their clusters. */
  environments: Array<{ name: string; clusters: string[] }>;
  /** Entity refs of users or groups who promote any entity, across teams' repositories. */
  releaseOwners: string[];
  /**
   * Promote even though the permission framework is disabled (`permission.enabled` not true),
   * when every signed-in user may promote every entity.
   */
  allowWithoutPermissions: boolean;
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
  /** Values files beyond these (`gitops.yamlLimits`) are refused before parsing. */
  yamlLimits?: YamlLimits;
  /** How opened promotions are followed to deployed (`gitops.promotion.tracking`). */
  tracking: PromotionTrackingConfig;
}

/** `gitops.promotion.tracking`: how often and how much GitHub is read for open pull requests. @public */
export interface PromotionTrackingConfig {
  /** Pull requests still open are read again this often. */
  pollIntervalMs: number;
  /** At most this many pull requests are read from GitHub per poll (and per listing). */
  maxReadsPerPoll: number;
  /** Finished promotions (deployed, failed, closed) stay visible this long. */
  keepFinishedMs: number;
}

const BRANCH_PREFIX = /^[a-z0-9][a-z0-9-]*(\/[a-z0-9][a-z0-9-]*)*$/;

function readWaves(
  promotion: Config,
  environments: PromotionConfig['environments'],
  problems: ConfigProblems,
): Record<string, string[][]> {
  const waves: Record<string, string[][]> = {};
  const config = problems.read(() => promotion.getOptionalConfig('waves'));
  for (const environment of config?.keys() ?? []) {
    const key = `gitops.promotion.waves.${environment}`;
    const list = problems.read(
      () => config!.get(environment) as unknown,
    ) as unknown;
    const valid =
      Array.isArray(list) &&
      list.every(
        wave =>
          Array.isArray(wave) &&
          wave.length > 0 &&
          wave.every(c => typeof c === 'string'),
      );
    if (!valid) {
      problems.add(
        key,
        'must be a list of waves, each a non-empty list of cluster names',
      );
      continue;
    }
    const env = environments.find(e => e.name === environment);
    const stray = (list as string[][])
      .flat()
      .find(cluster => !env?.clusters.includes(cluster));
    if (!env || stray) {
      problems.add(
        key,
        env
          ? `cluster ${stray} is not in environment ${environment}`
          : 'no such environment',
      );
      continue;
    }
    waves[environment] = list as string[][];
  }
  return waves;
}

/**
 * Reads `gitops.promotion`. Refuses waves naming clusters outside their environment, freeze
 * windows that cannot be parsed and branch prefixes Git would refuse.
 */
export function readPromotionConfig(
  config: Config,
  environments: PromotionConfig['environments'],
  yamlLimits: YamlLimits,
  problems: ConfigProblems,
): PromotionConfig {
  const promotion =
    problems.read(() => config.getOptionalConfig('gitops.promotion')) ??
    undefined;
  const strings = (key: string) =>
    problems.read(() => promotion?.getOptionalStringArray(key)) ?? [];
  const labels = strings('labels');
  labels.forEach((label, i) => {
    if (label.length < 1 || label.length > 50) {
      problems.add(
        `gitops.promotion.labels[${i}]`,
        'must be 1 to 50 characters (GitHub label names)',
      );
    }
  });
  const reviewers = strings('reviewers');
  const branchPrefix =
    problems.read(() => promotion?.getOptionalString('branchPrefix')) ??
    GITOPS_CONFIG_DEFAULTS.promotionBranchPrefix;
  if (!BRANCH_PREFIX.test(branchPrefix)) {
    problems.add(
      'gitops.promotion.branchPrefix',
      `'${branchPrefix}' must be lowercase words of letters, digits and dashes joined by '/', e.g. gitops/promote`,
    );
  }
  const freezeWindows: FreezeWindow[] = [];
  (
    problems.read(() => promotion?.getOptionalConfigArray('freezeWindows')) ??
    []
  ).forEach((window, i) => {
    const key = `gitops.promotion.freezeWindows[${i}]`;
    const parsed = problems.read(() =>
      parseFreezeWindow(
        {
          environments: window.getOptionalStringArray('environments'),
          start: window.getString('start'),
          end: window.getString('end'),
          reason: window.getOptionalString('reason'),
        },
        key,
      ),
    );
    if (parsed) freezeWindows.push(parsed);
  });
  return {
    environments,
    releaseOwners: strings('releaseOwners'),
    allowWithoutPermissions:
      problems.read(() =>
        promotion?.getOptionalBoolean('allowWithoutPermissions'),
      ) ?? false,
    labels,
    reviewers: reviewers.filter(r => !r.includes('/')),
    teamReviewers: reviewers
      .filter(r => r.includes('/'))
      .map(r => r.split('/').pop()!),
    requestOwnerReview:
      problems.read(() =>
        promotion?.getOptionalBoolean('requestOwnerReview'),
      ) ?? false,
    waves: promotion ? readWaves(promotion, environments, problems) : {},
    freezeWindows,
    branchPrefix,
    appBaseUrl: problems.read(() => config.getOptionalString('app.baseUrl')),
    yamlLimits,
    tracking: readTrackingConfig(config, problems),
  };
}

function readTrackingConfig(
  config: Config,
  problems: ConfigProblems,
): PromotionTrackingConfig {
  const d = GITOPS_CONFIG_DEFAULTS.promotionTracking;
  const number = (key: string, fallback: number) =>
    readWholeNumber(
      config,
      {
        key: `gitops.promotion.tracking.${key}`,
        path: `gitops.promotion.tracking.${key}`,
        fallback,
        min: 1,
      },
      problems,
    );
  return {
    pollIntervalMs: number('pollIntervalSeconds', d.pollIntervalSeconds) * 1000,
    maxReadsPerPoll: number('maxReadsPerPoll', d.maxReadsPerPoll),
    keepFinishedMs: number('keepFinishedHours', d.keepFinishedHours) * 3600_000,
  };
}
