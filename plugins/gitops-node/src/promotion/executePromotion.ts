import {
  PlannedEdit,
  PlannedWave,
  PromotionPlan,
  PromotionPullRequest,
  PromotionResult,
  SupersededPullRequest,
} from '@backstage-gitops/plugin-gitops-common';
import { parseEntityRef } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { VersionLocators } from '../locators';
import { YamlLimits } from '../yaml';
import { CLUSTERS_SEPARATOR, promotionBranchName } from './branchName';
import { KeyedLock } from './KeyedLock';
import { locatorsOf } from './locatorsOf';
import { recallContents } from './plannedContents';
import {
  PromotionMarker,
  pullRequestBody,
  pullRequestTitle,
  readPromotionMarker,
  serviceRepositoryUrl,
} from './pullRequestText';
import {
  GitopsPullRequest,
  GitopsRepoClient,
  PromotionContext,
  PromotionDeps,
} from './types';

const defaultLocks = new KeyedLock();
/** Compare-and-swap attempts on a branch that other replicas keep moving. */
const MAX_BRANCH_MOVES = 5;

/**
 * Carries out a plan: opens a pull request for the first wave that needs a change, or updates
 * the open pull request of the same branch (a re-run of the same promotion writes nothing; a
 * newer version supersedes the older one in place and says so in a comment). Open promotions of
 * the same environment on other branches (other targets or waves) that set the same clusters or
 * another version are closed with a comment linking the new pull request; `superseded` tells
 * which were updated and which closed. The base branch is never written. A plan with a failed
 * gate writes nothing and is reported as `blocked`.
 *
 * @public
 */
export async function executePromotion(
  plan: PromotionPlan,
  context: PromotionContext,
  deps: PromotionDeps,
): Promise<PromotionResult> {
  const id = randomUUID();
  const failed = plan.gates.filter(g => !g.passed);
  if (failed.length > 0) {
    return {
      id,
      outcome: 'blocked',
      message: `Not promoted: ${failed.map(g => g.message).join('; ')}`,
      plan,
      pullRequests: [],
      superseded: [],
    };
  }
  const index = plan.waves.findIndex(w => w.edits.length > 0);
  if (plan.noop || index === -1) {
    return {
      id,
      outcome: 'noop',
      message: `${plan.to} already has ${plan.version} on ${plan.targets.join(
        ', ',
      )}; nothing to change`,
      plan,
      pullRequests: [],
      superseded: [],
    };
  }
  const wave = plan.waves[index];
  const remainingWaves = plan.waves
    .slice(index + 1)
    .filter(w => w.edits.length > 0)
    .map(w => ({ index: w.index, clusters: w.clusters }));
  const { repoUrl, baseBranch } = wave.edits[0];
  if (
    wave.branch === baseBranch ||
    !wave.branch.startsWith(`${deps.config.branchPrefix}/`)
  ) {
    throw new ConflictError(
      `Refusing to write branch ${wave.branch}: promotions only write ${deps.config.branchPrefix}/* branches, never ${baseBranch}`,
    );
  }
  const client = await deps.github.forRepo(repoUrl);
  const locks = deps.locks ?? defaultLocks;
  const environmentBranch = environmentBranchOf(plan, deps);
  // one lock per environment: superseding reads and closes the other branches of it
  const outcome = await locks.run(`${client.webUrl}#${environmentBranch}`, () =>
    promoteWave({ plan, wave, client, context, deps, environmentBranch }),
  );
  const later = remainingWaves.length
    ? ` Remaining waves: ${remainingWaves
        .map(w => w.clusters.join('+'))
        .join(', ')}; promote again once this pull request is merged.`
    : '';
  return {
    id,
    ...outcome,
    message: `${outcome.message}${later}`,
    plan,
    remainingWaves,
  };
}

interface WaveOutcome {
  outcome: PromotionResult['outcome'];
  message: string;
  pullRequests: PromotionPullRequest[];
  superseded: SupersededPullRequest[];
}

/** The branch of a promotion of the whole target environment; those of a part of it extend it. */
function environmentBranchOf(plan: PromotionPlan, deps: PromotionDeps) {
  const clusters =
    deps.config.environments.find(e => e.name === plan.to)?.clusters ??
    plan.targets;
  return promotionBranchName({
    prefix: deps.config.branchPrefix,
    entity: parseEntityRef(plan.entityRef),
    environment: plan.to,
    clusters,
    environmentClusters: clusters,
  });
}

function waveMarker(plan: PromotionPlan, wave: PlannedWave): PromotionMarker {
  return {
    entityRef: plan.entityRef,
    to: plan.to,
    clusters: wave.clusters,
    version: plan.version,
    values: Object.fromEntries(wave.edits.map(e => [e.path, e.toVersion])),
  };
}

/**
 * Writes the wave's branch and pull request, then closes the open pull requests of other
 * branches of the same environment that this one supersedes.
 */
async function promoteWave(options: {
  plan: PromotionPlan;
  wave: PlannedWave;
  client: GitopsRepoClient;
  context: PromotionContext;
  deps: PromotionDeps;
  environmentBranch: string;
}): Promise<WaveOutcome> {
  const { plan, wave, client, context, deps, environmentBranch } = options;
  const open = (
    await client.listOpenPullRequests({ branchPrefix: environmentBranch })
  ).filter(
    p =>
      p.branch === environmentBranch ||
      p.branch.startsWith(`${environmentBranch}${CLUSTERS_SEPARATOR}`),
  );
  const existing = open.find(p => p.branch === wave.branch);
  const outcome = await writeWave({ ...options, existing });
  if (outcome.outcome !== 'opened' && outcome.outcome !== 'updated') {
    return outcome;
  }
  const marker = waveMarker(plan, wave);
  const stale = open.filter(
    p =>
      p.branch !== wave.branch &&
      isSupersededBy(readPromotionMarker(p.body), marker),
  );
  if (stale.length === 0) {
    return outcome;
  }
  const [current] = outcome.pullRequests;
  const now = (deps.clock ?? (() => new Date()))();
  const closed: SupersededPullRequest[] = [];
  const failures: string[] = [];
  for (const pull of stale) {
    const previous = readPromotionMarker(pull.body)!;
    try {
      await client.comment(
        pull.number,
        `Superseded by ${current.url}, which ${
          plan.rollback ? 'rolls back' : 'promotes'
        } **${plan.version}** to ${plan.to} (${wave.clusters.join(
          ', ',
        )}; this one promotes ${previous.version} to ${previous.clusters.join(
          ', ',
        )}). Closed for \`${context.actor}\` at ${now.toISOString()}.`,
      );
      await client.closePullRequest(pull.number);
      closed.push({ url: pull.url, number: pull.number, action: 'closed' });
    } catch (error) {
      deps.logger?.warn(
        `Could not close superseded pull request ${pull.url}: ${
          (error as Error).message
        }`,
      );
      failures.push(`#${pull.number} (${(error as Error).message})`);
    }
  }
  const closedText = closed.length
    ? ` Closed superseded pull request(s) ${closed
        .map(c => `#${c.number}`)
        .join(', ')}.`
    : '';
  const failedText = failures.length
    ? ` Could not close superseded pull request(s) ${failures.join(
        ', ',
      )}; close them by hand.`
    : '';
  return {
    ...outcome,
    message: `${outcome.message}.${closedText}${failedText}`,
    superseded: [...outcome.superseded, ...closed],
  };
}

/**
 * Whether an open promotion of another branch of the environment is superseded by `next`: it
 * sets some of the same clusters, or another version. A sibling wave of the same version (other
 * clusters) is not superseded; neither is a pull request without a marker, which is not known to
 * be a promotion.
 */
function isSupersededBy(
  previous: PromotionMarker | undefined,
  next: PromotionMarker,
): boolean {
  if (
    !previous ||
    previous.entityRef !== next.entityRef ||
    previous.to !== next.to
  ) {
    return false;
  }
  const overlaps = (previous.clusters ?? []).some(c =>
    next.clusters.includes(c),
  );
  return overlaps || previous.version !== next.version;
}

async function writeWave(options: {
  plan: PromotionPlan;
  wave: PlannedWave;
  client: GitopsRepoClient;
  context: PromotionContext;
  deps: PromotionDeps;
  existing: GitopsPullRequest | undefined;
}): Promise<WaveOutcome> {
  const { plan, wave, client, context, deps, existing } = options;
  const now = (deps.clock ?? (() => new Date()))();
  const marker = waveMarker(plan, wave);
  const baseBranch = wave.edits[0].baseBranch;
  const compareUrl = `${client.webUrl}/compare/${encodeURIComponent(
    baseBranch,
  )}...${wave.branch}`;
  const title = pullRequestTitle(plan, wave);
  const body = pullRequestBody({
    plan,
    wave,
    marker,
    compareUrl,
    serviceRepoUrl: serviceRepositoryUrl(client.webUrl, context.projectSlug),
    now,
  });
  const pr = (
    number: number,
    url: string,
    action: PromotionPullRequest['action'],
  ): PromotionPullRequest => ({
    wave: wave.index,
    clusters: wave.clusters,
    url,
    number,
    branch: wave.branch,
    state: 'open',
    action,
  });

  /** Points an open pull request's record at this promotion and says on it what it replaced. */
  const takeOver = async (
    open: { number: number; body?: string },
    by: string,
  ) => {
    const previous = readPromotionMarker(open.body);
    await client.updatePullRequest(open.number, { title, body });
    await client.comment(
      open.number,
      `Superseded by ${by}: this pull request now ${
        plan.rollback ? 'rolls back' : 'promotes'
      } **${plan.version}** (was ${
        previous?.version ?? 'another change'
      }), requested by \`${context.actor}\` at ${now.toISOString()}.`,
    );
    return previous;
  };

  if (existing && sameChange(readPromotionMarker(existing.body), marker)) {
    return {
      outcome: 'noop',
      message: `Pull request #${existing.number} already promotes ${plan.version} to ${plan.to}; nothing written`,
      pullRequests: [pr(existing.number, existing.url, 'unchanged')],
      superseded: [],
    };
  }

  const files = await Promise.all(
    wave.edits.map(edit =>
      newContent(edit, client, {
        locators: locatorsOf(deps),
        yamlLimits: deps.config.yamlLimits,
      }),
    ),
  );
  const commitOn = (branchHeadSha?: string) =>
    client.createCommit({
      baseCommitSha: wave.edits[0].baseCommitSha!,
      baseTreeSha: wave.edits[0].baseTreeSha!,
      files,
      message: `${title}\n\nPromoted by ${context.actor} from ${plan.from}.`,
      branchHeadSha,
    });

  if (!existing) {
    if (
      (await client.createBranch(wave.branch, await commitOn())) === 'created'
    ) {
      const created = await client.createPullRequest({
        branch: wave.branch,
        base: baseBranch,
        title,
        body,
      });
      if (created !== 'exists') {
        return opened(created, { plan, wave, client, context, deps });
      }
    }
    // a leftover branch, or another replica got here first
  }

  // The branch exists: move it only from the head read here (compare-and-swap), then make its
  // pull request say what it holds. When another replica moved it in between, read it again.
  let moved = false;
  for (let attempt = 1; attempt <= MAX_BRANCH_MOVES; attempt++) {
    const { commitSha: head } = await client.getBranchHead(wave.branch);
    const open = await client.findOpenPullRequest(wave.branch);
    const holdsThis = await holds(client, head, files);
    if (
      open &&
      sameChange(readPromotionMarker(open.body), marker) &&
      holdsThis
    ) {
      return {
        outcome: moved ? 'updated' : 'noop',
        message: `Pull request #${open.number} for ${wave.branch} already promotes ${plan.version} to ${plan.to} (written concurrently)`,
        pullRequests: [
          pr(open.number, open.url, moved ? 'updated' : 'unchanged'),
        ],
        superseded: [],
      };
    }
    // a branch that already holds this change (an identical promotion) is not moved again
    let commitSha = head;
    if (!holdsThis) {
      commitSha = await commitOn(head);
      if ((await client.updateBranch(wave.branch, commitSha)) === 'moved') {
        continue;
      }
      moved = true;
    }
    if (!open) {
      const created = await client.createPullRequest({
        branch: wave.branch,
        base: baseBranch,
        title,
        body,
      });
      if (created === 'exists') continue;
      return opened(created, { plan, wave, client, context, deps });
    }
    const previous = await takeOver(
      open,
      existing ? 'a newer promotion' : 'a concurrent promotion',
    );
    // a replica that moved the branch after this one may have written its record before
    // this one did: check again, so the record ends up describing the branch
    if ((await client.getBranchHead(wave.branch)).commitSha !== commitSha) {
      continue;
    }
    return {
      outcome: 'updated',
      message: existing
        ? `Updated pull request #${open.number} to ${
            plan.version
          }, superseding ${previous?.version ?? 'its earlier change'}`
        : `Pull request #${open.number} for ${
            wave.branch
          } was opened concurrently for ${
            previous?.version ?? 'another change'
          }; updated it to ${plan.version}`,
      pullRequests: [pr(open.number, open.url, 'updated')],
      superseded: [{ url: open.url, number: open.number, action: 'updated' }],
    };
  }
  throw new ConflictError(
    `Branch ${wave.branch} was moved by other promotions ${MAX_BRANCH_MOVES} times while this one wrote it; promote again`,
  );
}

/** Labels and reviewers of a pull request this promotion opened. */
async function opened(
  created: GitopsPullRequest,
  options: {
    plan: PromotionPlan;
    wave: PlannedWave;
    client: GitopsRepoClient;
    context: PromotionContext;
    deps: PromotionDeps;
  },
): Promise<WaveOutcome> {
  const { plan, wave, client, context, deps } = options;
  const labels = deps.config.labels;
  if (labels.length > 0) {
    await client.addLabels(created.number, labels);
  }
  const teamReviewers = [
    ...deps.config.teamReviewers,
    ...(deps.config.requestOwnerReview && context.ownerTeamSlug
      ? [context.ownerTeamSlug]
      : []),
  ];
  if (deps.config.reviewers.length > 0 || teamReviewers.length > 0) {
    try {
      await client.requestReviewers(created.number, {
        reviewers: deps.config.reviewers,
        teamReviewers,
      });
    } catch (error) {
      deps.logger?.warn(
        `Could not request reviewers on ${created.url}: ${
          (error as Error).message
        }`,
      );
    }
  }
  return {
    outcome: 'opened',
    message: `Opened pull request #${created.number} promoting ${
      plan.version
    } to ${plan.to} (${wave.clusters.join(', ')})`,
    pullRequests: [
      {
        wave: wave.index,
        clusters: wave.clusters,
        url: created.url,
        number: created.number,
        branch: wave.branch,
        state: 'open',
        action: 'opened',
      },
    ],
    superseded: [],
  };
}

/** Whether the branch at `head` holds exactly these files' contents. */
async function holds(
  client: GitopsRepoClient,
  head: string,
  files: Array<{ path: string; content: string }>,
): Promise<boolean> {
  const found = await Promise.all(files.map(f => client.getFile(f.path, head)));
  return files.every((f, i) => found[i]?.content === f.content);
}

function sameChange(
  previous: PromotionMarker | undefined,
  next: PromotionMarker,
): boolean {
  return (
    !!previous &&
    previous.version === next.version &&
    JSON.stringify(previous.values) === JSON.stringify(next.values)
  );
}

async function newContent(
  edit: PlannedEdit,
  client: GitopsRepoClient,
  options: { locators: VersionLocators; yamlLimits: YamlLimits | undefined },
): Promise<{ path: string; content: string }> {
  const remembered =
    edit.field && recallContents(edit.blobSha, edit.field, edit.toVersion);
  if (remembered !== undefined && remembered !== '') {
    return { path: edit.path, content: remembered };
  }
  if (!edit.locator) {
    throw new ConflictError(
      `The plan of ${edit.path} has no locator; plan again`,
    );
  }
  // recomputed from the planned blob, so what is written is exactly what was planned
  const original = await client.getBlob(edit.blobSha);
  const field = options.locators.forLocator(edit.locator).find(original, {
    locator: edit.locator,
    path: edit.path,
    yamlLimits: options.yamlLimits,
  });
  return { path: edit.path, content: field.replace(edit.toVersion) };
}
