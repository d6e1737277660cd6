import {
  PlannedEdit,
  PlannedWave,
  PromotionPlan,
  PromotionPullRequest,
  PromotionResult,
  SupersededPullRequest,
} from '@backstage-gitops/plugin-gitops-common';
import { ConflictError } from '@backstage/errors';
import { randomUUID } from 'node:crypto';
import { locateVersion } from '../locators';
import { replaceYamlScalar } from '../yaml';
import { KeyedLock } from './KeyedLock';
import { recallContents } from './plannedContents';
import {
  PromotionMarker,
  pullRequestBody,
  pullRequestTitle,
  readPromotionMarker,
} from './pullRequestText';
import { GitopsRepoClient, PromotionContext, PromotionDeps } from './types';

const defaultLocks = new KeyedLock();

/**
 * Carries out a plan: opens a pull request for the first wave that needs a change, or updates
 * the open pull request of the same branch (a re-run of the same promotion writes nothing; a
 * newer version supersedes the older one in place and says so in a comment). The base branch is
 * never written. A plan with a failed gate writes nothing and is reported as `blocked`.
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
  const outcome = await locks.run(`${client.webUrl}#${wave.branch}`, () =>
    writeWave({ plan, wave, client, context, deps }),
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

async function writeWave(options: {
  plan: PromotionPlan;
  wave: PlannedWave;
  client: GitopsRepoClient;
  context: PromotionContext;
  deps: PromotionDeps;
}): Promise<WaveOutcome> {
  const { plan, wave, client, context, deps } = options;
  const now = (deps.clock ?? (() => new Date()))();
  const marker: PromotionMarker = {
    entityRef: plan.entityRef,
    to: plan.to,
    clusters: wave.clusters,
    version: plan.version,
    values: Object.fromEntries(wave.edits.map(e => [e.path, e.toVersion])),
  };
  const baseBranch = wave.edits[0].baseBranch;
  const compareUrl = `${client.webUrl}/compare/${encodeURIComponent(
    baseBranch,
  )}...${wave.branch}`;
  const title = pullRequestTitle(plan, wave);
  const body = pullRequestBody({ plan, wave, marker, compareUrl, now });
  const pr = (
    number: number,
    url: string,
    action: PromotionPullRequest['action'],
  ): PromotionPullRequest => ({
    wave: wave.index,
    url,
    number,
    branch: wave.branch,
    state: 'open',
    action,
  });

  const existing = await client.findOpenPullRequest(wave.branch);
  if (existing && sameChange(readPromotionMarker(existing.body), marker)) {
    return {
      outcome: 'noop',
      message: `Pull request #${existing.number} already promotes ${plan.version} to ${plan.to}; nothing written`,
      pullRequests: [pr(existing.number, existing.url, 'unchanged')],
      superseded: [],
    };
  }

  const files = await Promise.all(
    wave.edits.map(edit => newContent(edit, client)),
  );
  const commitSha = await client.createCommit({
    baseCommitSha: wave.edits[0].baseCommitSha!,
    baseTreeSha: wave.edits[0].baseTreeSha!,
    files,
    message: `${title}\n\nPromoted by ${context.actor} from ${plan.from}.`,
  });

  if (existing) {
    const previous = readPromotionMarker(existing.body);
    await client.updateBranch(wave.branch, commitSha);
    await client.updatePullRequest(existing.number, { title, body });
    await client.comment(
      existing.number,
      `Superseded by a newer promotion: this pull request now ${
        plan.rollback ? 'rolls back' : 'promotes'
      } **${plan.version}** (was ${
        previous?.version ?? 'another change'
      }), requested by \`${context.actor}\` at ${now.toISOString()}.`,
    );
    return {
      outcome: 'updated',
      message: `Updated pull request #${existing.number} to ${
        plan.version
      }, superseding ${previous?.version ?? 'its earlier change'}`,
      pullRequests: [pr(existing.number, existing.url, 'updated')],
      superseded: [
        { url: existing.url, number: existing.number, action: 'updated' },
      ],
    };
  }

  if ((await client.createBranch(wave.branch, commitSha)) === 'exists') {
    // a leftover branch, or another replica got here first
    const raced = await client.findOpenPullRequest(wave.branch);
    if (raced && sameChange(readPromotionMarker(raced.body), marker)) {
      return {
        outcome: 'noop',
        message: `Pull request #${raced.number} already promotes ${plan.version} to ${plan.to}`,
        pullRequests: [pr(raced.number, raced.url, 'unchanged')],
        superseded: [],
      };
    }
    await client.updateBranch(wave.branch, commitSha);
  }
  const created = await client.createPullRequest({
    branch: wave.branch,
    base: baseBranch,
    title,
    body,
  });
  if (created === 'exists') {
    const raced = await client.findOpenPullRequest(wave.branch);
    if (!raced) {
      throw new ConflictError(
        `GitHub reports a pull request for ${wave.branch} but none is open; try again`,
      );
    }
    return {
      outcome: 'updated',
      message: `Pull request #${raced.number} for ${wave.branch} was opened concurrently; its branch now has ${plan.version}`,
      pullRequests: [pr(raced.number, raced.url, 'updated')],
      superseded: [],
    };
  }
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
    pullRequests: [pr(created.number, created.url, 'opened')],
    superseded: [],
  };
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
  const located = locateVersion(original, edit.locator, edit.path);
  const { content } = replaceYamlScalar(
    original,
    located.path,
    edit.toVersion,
    edit.path,
  );
  return { path: edit.path, content };
}
