import {
  ClusterState,
  EnvironmentState,
  PlannedEdit,
  PlannedWave,
  PromotionRequest,
  VersionSource,
} from '@backstage-gitops/plugin-gitops-common';
import { parseEntityRef } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import { VersionLocators } from '../locators';
import { formatVersionLike, ParsedVersion } from '../version';
import { unifiedDiff, YamlLimits } from '../yaml';
import { promotionBranchName } from './branchName';
import { checkEditPath } from './editPath';
import { rememberContents } from './plannedContents';
import { PlanRepos, tracksDefaultBranch } from './planRepos';
import { locatorsOf } from './locatorsOf';
import { PromotionDeps } from './types';

/** The target clusters whose version one file sets. */
export interface FileGroup {
  key: string;
  source: VersionSource;
  clusters: string[];
}

/**
 * Groups the target cells by the file that sets their version, and refuses a file that also
 * sets the version of a cluster outside the targets.
 */
export async function groupByFile(
  cells: Array<{ cell: ClusterState; desired: VersionSource }>,
  target: EnvironmentState,
  targets: string[],
  repos: PlanRepos,
): Promise<FileGroup[]> {
  const repoOf = (s: VersionSource) =>
    s.repoUrl.replace(/\.git$/, '').toLowerCase();
  const keyOf = (s: VersionSource) =>
    JSON.stringify([repoOf(s), s.ref, s.path, s.locator]);
  const groups = new Map<string, FileGroup>();
  for (const { cell, desired } of cells) {
    checkEditPath(desired.path);
    const key = keyOf(desired);
    const group = groups.get(key) ?? { key, source: desired, clusters: [] };
    group.clusters.push(cell.cluster);
    groups.set(key, group);
  }
  const targetRepos = new Set(cells.map(c => repoOf(c.desired)));
  for (const other of target.clusters) {
    if (
      !targets.includes(other.cluster) &&
      other.desiredSource &&
      // only a file of a repository already read can be shared, so this costs no call
      targetRepos.has(repoOf(other.desiredSource))
    ) {
      const shared = groups.get(
        keyOf(await resolveRef(repos, other.desiredSource)),
      );
      if (shared) {
        throw new ConflictError(
          `${shared.source.path} sets the version of ${
            other.cluster
          } too, so ${shared.clusters.join(
            ', ',
          )} cannot be promoted without it; add ${
            other.cluster
          } to the targets`,
        );
      }
    }
  }
  return [...groups.values()];
}

/** The source with `HEAD` or an empty ref replaced by the repository's default branch. */
export async function resolveRef(
  repos: PlanRepos,
  source: VersionSource,
): Promise<VersionSource> {
  if (!tracksDefaultBranch(source.ref)) {
    return source;
  }
  return { ...source, ref: await repos.baseBranch(source.repoUrl, source.ref) };
}

/**
 * The waves of a promotion: the configured waves restricted to the targets (clusters sharing a
 * file promoted together), each with its edits and branch.
 */
export async function planWaves(options: {
  deps: PromotionDeps;
  repos: PlanRepos;
  request: PromotionRequest;
  entity: ReturnType<typeof parseEntityRef>;
  groups: FileGroup[];
  targets: string[];
  targetClusters: string[];
  version: ParsedVersion;
}): Promise<{ waves: PlannedWave[]; notes: string[] }> {
  const {
    deps,
    repos,
    request,
    entity,
    groups,
    targets,
    targetClusters,
    version,
  } = options;
  const notes: string[] = [];

  // configured waves restricted to the targets; unlisted targets form a last wave
  const configured = (deps.config.waves[request.to] ?? []).map(w =>
    w.filter(c => targets.includes(c)),
  );
  const listed = configured.flat();
  let waveClusters = [
    ...configured,
    targets.filter(t => !listed.includes(t)),
  ].filter(w => w.length > 0);
  // clusters sharing a file cannot be in different waves
  for (const group of groups) {
    const hit = waveClusters.filter(w =>
      w.some(c => group.clusters.includes(c)),
    );
    if (hit.length > 1) {
      notes.push(
        `${hit
          .map(w => w.join('+'))
          .join(' and ')} are promoted together: they share ${
          group.source.path
        }`,
      );
      const merged = hit.flat();
      const first = waveClusters.indexOf(hit[0]);
      waveClusters = waveClusters.filter(w => !hit.includes(w));
      waveClusters.splice(first, 0, merged);
    }
  }

  const waves: PlannedWave[] = [];
  for (const [index, clusters] of waveClusters.entries()) {
    const waveGroups = groups.filter(g =>
      g.clusters.some(c => clusters.includes(c)),
    );
    const bases = new Set(
      waveGroups.map(g => `${g.source.repoUrl}#${g.source.ref}`),
    );
    if (bases.size > 1) {
      throw new ConflictError(
        `The clusters ${clusters.join(', ')} take their version from ${
          bases.size
        } repositories or branches (${[...bases].join(
          ', ',
        )}); one pull request cannot change them, configure them as separate waves`,
      );
    }
    const edits = await Promise.all(
      waveGroups.map(group =>
        planEdit(group, request, version, repos, {
          locators: locatorsOf(deps),
          yamlLimits: deps.config.yamlLimits,
        }),
      ),
    );
    const planned = edits.filter((e): e is PlannedEdit => e !== undefined);
    refuseTwoEditsOfOneFile(planned);
    waves.push({
      index,
      clusters,
      edits: planned,
      branch: promotionBranchName({
        prefix: deps.config.branchPrefix,
        entity,
        environment: request.to,
        clusters,
        environmentClusters: targetClusters,
      }),
    });
  }
  return { waves, notes };
}

/**
 * Refuses two edits of one file in a wave (two Application documents of one manifest file, one
 * per cluster): each is computed from the same blob, so one commit would keep only the last.
 */
function refuseTwoEditsOfOneFile(edits: PlannedEdit[]) {
  const seen = new Map<string, PlannedEdit>();
  for (const edit of edits) {
    const key = `${edit.repoUrl}#${edit.path}`;
    const first = seen.get(key);
    if (first) {
      throw new ConflictError(
        `${edit.path} sets the version of ${first.clusters.join(
          ', ',
        )} and of ${edit.clusters.join(', ')} in two places (${first.field}; ${
          edit.field
        }), which one commit cannot both change; promote them one at a time with "targets"`,
      );
    }
    seen.set(key, edit);
  }
}

async function planEdit(
  group: FileGroup,
  request: PromotionRequest,
  version: ParsedVersion,
  repos: PlanRepos,
  options: { locators: VersionLocators; yamlLimits: YamlLimits | undefined },
): Promise<PlannedEdit | undefined> {
  const { source } = group;
  const client = await repos.client(source.repoUrl);
  const head = await repos.head(source.repoUrl, source.ref);
  const file = await client.getFile(source.path, head.commitSha);
  if (!file) {
    throw new ConflictError(
      `${source.path} does not exist on ${source.ref} of ${client.webUrl}; the state is out of date or the Application points elsewhere`,
    );
  }
  const expected = request.expectedBlobShas?.[source.path];
  if (expected && expected !== file.blobSha) {
    throw new ConflictError(
      `${source.path} changed since the plan (blob ${expected.slice(
        0,
        7,
      )}, now ${file.blobSha.slice(
        0,
        7,
      )}); review the new diff and promote again`,
    );
  }
  const locator = options.locators.forLocator(source.locator);
  const field = locator.find(file.content, {
    locator: source.locator,
    path: source.path,
    yamlLimits: options.yamlLimits,
  });
  const where = `${locator.describe(source.locator)} in ${source.path}`;
  const value = formatVersionLike(field.value, version, where);
  const content = field.replace(value);
  if (content === file.content) {
    return undefined;
  }
  rememberContents(file.blobSha, field.field, value, content);
  return {
    repoUrl: source.repoUrl,
    baseBranch: source.ref,
    path: source.path,
    blobSha: file.blobSha,
    clusters: group.clusters,
    fromVersion: field.value,
    toVersion: value,
    diff: unifiedDiff(source.path, file.content, content),
    baseCommitSha: head.commitSha,
    baseTreeSha: head.treeSha,
    locator: source.locator,
    field: field.field,
    line: field.line,
  };
}
