import {
  GateResult,
  PlannedWave,
  PromotionPlan,
} from '@backstage-gitops/plugin-gitops-common';

const MARKER = 'backstage-gitops-promotion';

/** What a promotion pull request records about itself, in a hidden comment of its body. @public */
export interface PromotionMarker {
  entityRef: string;
  to: string;
  clusters: string[];
  version: string;
  /** The values written, by path; equal markers mean an identical change. */
  values: Record<string, string>;
}

/** Reads the marker of a pull request body, if it has one. @public */
export function readPromotionMarker(
  body: string | undefined,
): PromotionMarker | undefined {
  const match = new RegExp(`<!-- ${MARKER} (\\{.*?\\}) -->`).exec(body ?? '');
  if (!match) {
    return undefined;
  }
  try {
    return JSON.parse(match[1]) as PromotionMarker;
  } catch {
    return undefined;
  }
}

/** The title of a promotion pull request. @public */
export function pullRequestTitle(
  plan: PromotionPlan,
  wave: PlannedWave,
): string {
  const service = plan.entityRef.split('/').pop();
  const clusters =
    plan.waves.length > 1 ? ` (${wave.clusters.join(', ')})` : '';
  return `${plan.rollback ? 'Roll back' : 'Promote'} ${service} to ${
    plan.version
  } in ${plan.to}${clusters}`;
}

const SLUG = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

/**
 * Web URL of the service's source repository: the `github.com/project-slug` of the entity on the
 * host of the GitOps repository (the same GitHub integration), e.g.
 * `https://github.com/acme/storefront-web`. `undefined` without a slug or with a malformed one.
 *
 * @public
 */
export function serviceRepositoryUrl(
  gitopsWebUrl: string,
  projectSlug: string | undefined,
): string | undefined {
  const slug = projectSlug?.trim().replace(/\.git$/, '');
  if (!slug || !SLUG.test(slug) || slug.split('/').includes('..')) {
    return undefined;
  }
  let origin: string;
  try {
    origin = new URL(gitopsWebUrl).origin;
  } catch {
    return undefined;
  }
  return origin === 'null' ? undefined : `${origin}/${slug}`;
}

/**
 * Compare link of the service's source between two versions:
 * `<serviceRepositoryUrl>/compare/<fromVersion>...<toVersion>`, by tag (a `tag@digest` counts as
 * its tag). `undefined` when either version has no tag (a bare digest).
 *
 * @public
 */
export function serviceCompareUrl(
  serviceRepoUrl: string,
  fromVersion: string,
  toVersion: string,
): string | undefined {
  const tag = (version: string) => {
    const at = version.indexOf('@');
    const t = at === -1 ? version : version.slice(0, at);
    return !t || /^sha(256|512):/.test(t) ? undefined : t;
  };
  const from = tag(fromVersion);
  const to = tag(toVersion);
  if (!from || !to) {
    return undefined;
  }
  return `${serviceRepoUrl}/compare/${encodeURIComponent(
    from,
  )}...${encodeURIComponent(to)}`;
}

function gateLine(gate: GateResult): string {
  return `- ${gate.passed ? '✅' : '❌'} **${gate.gate}**: ${gate.message}`;
}

/**
 * The body of a promotion pull request: a deployment record a reviewer can act on, with the
 * marker that lets a later promotion recognise (and update) it.
 *
 * @public
 */
export function pullRequestBody(options: {
  plan: PromotionPlan;
  wave: PlannedWave;
  marker: PromotionMarker;
  /** Compare view of the GitOps repository: the base branch against the promotion branch. */
  compareUrl: string;
  /**
   * Web URL of the service's source repository (see `serviceRepositoryUrl`): adds a row with
   * the compare view of the versions.
   */
  serviceRepoUrl?: string;
  now: Date;
}): string {
  const { plan, wave, marker, compareUrl, serviceRepoUrl, now } = options;
  const service = plan.entityRef.split('/').pop();
  const fromVersions = [
    ...new Set(wave.edits.map(e => e.fromVersion ?? '(unset)')),
  ];
  const serviceCompares = serviceRepoUrl
    ? [
        ...new Set(
          wave.edits.flatMap(e => (e.fromVersion ? [e.fromVersion] : [])),
        ),
      ]
        .filter(from => from !== plan.version)
        .flatMap(from => {
          const url = serviceCompareUrl(serviceRepoUrl, from, plan.version);
          return url ? [`[${from}...${plan.version}](${url})`] : [];
        })
    : [];
  const source = plan.source;
  const sourceHealth = source?.clusters.length
    ? source.clusters
        .map(
          c =>
            `${c.cluster} ${c.sync}/${c.health} at ${
              c.liveVersion ?? 'unknown'
            }`,
        )
        .join('; ')
    : 'no clusters';
  const rows: Array<[string, string]> = [
    [
      'Service',
      plan.entityUrl ? `[${service}](${plan.entityUrl})` : `${service}`,
    ],
    ['Entity', `\`${plan.entityRef}\``],
    ['Owner', plan.owner ? `\`${plan.owner}\`` : 'unknown'],
    [
      'Target',
      `${plan.to}: ${wave.clusters.join(', ')}${
        plan.waves.length > 1
          ? ` (wave ${wave.index + 1} of ${plan.waves.length})`
          : ''
      }`,
    ],
    ['From version', fromVersions.map(v => `\`${v}\``).join(', ')],
    ['To version', `\`${plan.version}\``],
    ['Digest', source?.digest ? `\`${source.digest}\`` : 'not known'],
    [
      `Source (${plan.from})`,
      `${sourceHealth} (checked ${plan.createdAt ?? now.toISOString()})`,
    ],
    ...(serviceCompares.length > 0
      ? [['Service changes', serviceCompares.join(', ')] as [string, string]]
      : []),
    ['GitOps diff', `[${wave.branch}](${compareUrl})`],
    ['Promoted by', plan.actor ? `\`${plan.actor}\`` : 'unknown'],
  ];
  const lines = [
    `## ${plan.rollback ? 'Rollback' : 'Promotion'} of ${service} to ${
      plan.to
    }`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([key, value]) => `| ${key} | ${value} |`),
    '',
    '### Gates',
    ...plan.gates.map(gateLine),
    '',
    '### Changes',
    ...wave.edits.flatMap(edit => [
      `\`${edit.path}\` (${edit.clusters.join(', ')})`,
      '```diff',
      edit.diff.trimEnd(),
      '```',
    ]),
    ...(plan.notes?.length
      ? ['', '### Notes', ...plan.notes.map(n => `- ${n}`)]
      : []),
    '',
    '### Rollback',
    `Revert this pull request once merged, or promote ${fromVersions.join(
      ', ',
    )} again from the portal.`,
    '',
    `_Opened by the Backstage GitOps plugin on ${now.toISOString()}._`,
    '',
    `<!-- ${MARKER} ${JSON.stringify(marker)} -->`,
  ];
  return lines.join('\n');
}
