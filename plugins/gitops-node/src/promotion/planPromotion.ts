import {
  ClusterState,
  EnvironmentState,
  GateResult,
  PlannedEdit,
  PlannedWave,
  PromotionPlan,
  PromotionRequest,
  PromotionSourceSnapshot,
  VersionSource,
} from '@backstage-gitops/plugin-gitops-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  describeLocator,
  locateVersion,
  locatorVersionKind,
} from '../locators';
import {
  formatVersionLike,
  parseVersion,
  ParsedVersion,
  versionTag,
} from '../version';
import {
  formatYamlPath,
  replaceYamlScalar,
  unifiedDiff,
  YamlLimits,
} from '../yaml';
import { promotionBranchName } from './branchName';
import { checkEditPath } from './editPath';
import { rememberContents } from './plannedContents';
import { PlanRepos, tracksDefaultBranch } from './planRepos';
import { PromotionContext, PromotionDeps } from './types';

/**
 * Plans a promotion: checks the gates, finds the target environment's version fields in Git and
 * computes the exact edit of each file with its diff. Reads only; nothing is written.
 *
 * Throws `InputError` (400) for bad input, `NotFoundError` (404) when the entity has no GitOps
 * state, and `ConflictError` (409) when the repository cannot take the edit (missing or
 * ambiguous key, a file changed since `expectedBlobShas`). Failed gates do not throw: they are
 * in `plan.gates`, and `executePromotion` refuses such a plan.
 *
 * @public
 */
export async function planPromotion(
  request: PromotionRequest,
  context: PromotionContext,
  deps: PromotionDeps,
): Promise<PromotionPlan> {
  const { config } = deps;
  const now = (deps.clock ?? (() => new Date()))();
  const entity = parseEntityRef(request.entityRef);
  const entityRef = stringifyEntityRef(entity);

  const order = config.environments.map(e => e.name);
  for (const env of [request.from, request.to]) {
    if (!order.includes(env)) {
      throw new InputError(
        `Unknown environment ${JSON.stringify(
          env,
        )}; configured environments are ${order.join(', ')}`,
      );
    }
  }
  if (order.indexOf(request.from) >= order.indexOf(request.to)) {
    throw new InputError(
      `Promotions go forward: ${request.to} does not come after ${
        request.from
      } (order: ${order.join(' → ')})`,
    );
  }
  const targetClusters = config.environments.find(
    e => e.name === request.to,
  )!.clusters;
  const targets = request.targets?.length
    ? [...new Set(request.targets)]
    : targetClusters;
  const stray = targets.filter(t => !targetClusters.includes(t));
  if (stray.length > 0) {
    throw new InputError(
      `Unknown target cluster(s) ${stray.join(', ')} for ${
        request.to
      }; it has ${targetClusters.join(', ')}`,
    );
  }

  if (request.version !== undefined) {
    // refused before any read; checked again below against the kind of field it goes to
    try {
      parseVersion(request.version, 'image');
    } catch (error) {
      try {
        parseVersion(request.version, 'chart');
      } catch {
        throw error;
      }
    }
  }

  const state = await deps.state.getEntityState(entityRef);
  if (state.status === 'not-configured') {
    throw new InputError(
      `${entityRef} has no GitOps annotation (argocd/app-selector, argocd/app-name or backstage.io/kubernetes-id), so it has nothing to promote`,
    );
  }
  const source = requireEnvironment(
    state.environments,
    request.from,
    entityRef,
  );
  const target = requireEnvironment(state.environments, request.to, entityRef);

  // the version: what the source runs, or an explicit (possibly earlier) one
  const sourceClusters = source.clusters.filter(c => c.application || c.error);
  const running = agreedVersion(sourceClusters);
  const raw = request.version ?? running;
  if (!raw) {
    throw new ConflictError(
      `${request.from} does not run one version (${describeClusters(
        sourceClusters,
      )}); name the version to promote`,
    );
  }
  const targetCells = targets.map(cluster => {
    const cell = target.clusters.find(c => c.cluster === cluster);
    if (!cell?.desiredSource) {
      throw new ConflictError(
        `Where ${cluster}'s version is set in Git is unknown${
          cell?.error
            ? ` (${cell.error.message})`
            : ' (no Application of the entity lands there)'
        }; promote the other clusters with "targets"`,
      );
    }
    return { cell, desired: cell.desiredSource };
  });
  const repos = new PlanRepos(deps.github);
  const resolvedCells = await Promise.all(
    targetCells.map(async t => ({
      cell: t.cell,
      desired: await resolveRef(repos, t.desired),
    })),
  );
  const kinds = new Set(
    targetCells.map(t => locatorVersionKind(t.desired.locator)),
  );
  let version: ParsedVersion | undefined;
  for (const kind of kinds) {
    version = parseVersion(raw, kind);
  }
  version = version ?? parseVersion(raw);
  const rollback =
    request.version !== undefined &&
    (!running || versionTag(request.version) !== versionTag(running));
  const digest = version.digest ?? digestOf(sourceClusters, version.tag);
  const fullVersion: ParsedVersion = { ...version, digest };

  // gates
  const gates: GateResult[] = [
    {
      gate: 'permission',
      passed: context.permitted,
      message: context.permitted
        ? `${context.actor} may promote ${entityRef}`
        : `${context.actor} may not promote ${entityRef}: only its owners and the release owners may`,
    },
  ];
  if (rollback) {
    gates.push(await historyGate(deps, entityRef, request, raw, running));
  } else {
    gates.push(sourceGate(request.from, sourceClusters, raw));
  }
  gates.push(freezeGate(deps, request.to, now));

  // the edits, per file, grouped into waves
  const groups = await groupByFile(resolvedCells, target, targets, repos);
  const waves = await planWaves({
    deps,
    repos,
    request,
    entity,
    groups,
    targets,
    targetClusters,
    version: fullVersion,
  });

  const snapshot: PromotionSourceSnapshot = {
    environment: request.from,
    version: running,
    digest,
    clusters: sourceClusters.map(c => ({
      cluster: c.cluster,
      sync: c.sync,
      health: c.health,
      liveVersion: c.liveVersion,
    })),
  };
  return {
    entityRef,
    from: request.from,
    to: request.to,
    version: raw,
    targets,
    gates,
    waves: waves.waves,
    noop: waves.waves.every(w => w.edits.length === 0),
    rollback,
    source: snapshot,
    owner: context.owner,
    actor: context.actor,
    entityUrl: config.appBaseUrl
      ? `${config.appBaseUrl.replace(/\/$/, '')}/catalog/${
          entity.namespace
        }/${entity.kind.toLocaleLowerCase('en-US')}/${entity.name}/gitops`
      : undefined,
    notes: waves.notes,
    createdAt: now.toISOString(),
  };
}

function requireEnvironment(
  environments: EnvironmentState[],
  name: string,
  entityRef: string,
): EnvironmentState {
  const env = environments.find(e => e.name === name);
  if (!env || env.clusters.every(c => !c.application && !c.error)) {
    throw new NotFoundError(
      `${entityRef} has no Application in environment ${name}`,
    );
  }
  return env;
}

function agreedVersion(clusters: ClusterState[]): string | undefined {
  const versions = new Set(clusters.map(c => c.liveVersion));
  const [only] = versions;
  return versions.size === 1 && only ? only : undefined;
}

function describeClusters(clusters: ClusterState[]): string {
  return (
    clusters
      .map(
        c =>
          `${c.cluster}: ${c.liveVersion ?? 'unknown'} ${c.sync}/${c.health}`,
      )
      .join(', ') || 'no clusters'
  );
}

function digestOf(
  clusters: ClusterState[],
  tag: string | undefined,
): string | undefined {
  if (!tag) {
    return undefined;
  }
  for (const cluster of clusters) {
    for (const image of cluster.liveImages) {
      const match = /:([^:@/]+)@(sha(?:256|512):[a-f0-9]+)$/.exec(image);
      if (match && match[1] === tag) {
        return match[2];
      }
    }
  }
  return undefined;
}

function sourceGate(
  from: string,
  clusters: ClusterState[],
  version: string,
): GateResult {
  const tag = versionTag(version);
  const failing = clusters.filter(
    c =>
      c.error ||
      c.sync !== 'Synced' ||
      c.health !== 'Healthy' ||
      !c.liveVersion ||
      versionTag(c.liveVersion) !== tag,
  );
  if (clusters.length === 0 || failing.length > 0) {
    return {
      gate: 'source-synced-healthy',
      passed: false,
      message: `${version} must run Synced and Healthy on every cluster of ${from}, but ${
        clusters.length === 0
          ? 'no cluster of it has an Application'
          : failing
              .map(c =>
                c.error
                  ? `${c.cluster} is unknown (${c.error.message})`
                  : `${c.cluster} is ${c.sync}/${c.health} at ${
                      c.liveVersion ?? 'an unknown version'
                    }`,
              )
              .join('; ')
      }`,
    };
  }
  return {
    gate: 'source-synced-healthy',
    passed: true,
    message: `${version} runs Synced and Healthy on ${clusters
      .map(c => c.cluster)
      .join(', ')}`,
  };
}

async function historyGate(
  deps: PromotionDeps,
  entityRef: string,
  request: PromotionRequest,
  version: string,
  running: string | undefined,
): Promise<GateResult> {
  const tag = versionTag(version);
  const intro = `${version} is not what ${request.from} runs (${
    running ?? 'no single version'
  }), so it is a rollback`;
  if (!deps.state.getEnvironmentHistory) {
    return {
      gate: 'version-in-history',
      passed: false,
      message: `${intro}, and the deployment history needed to check it is unavailable`,
    };
  }
  const found: string[] = [];
  for (const environment of [request.to, request.from]) {
    const history = await deps.state.getEnvironmentHistory(
      entityRef,
      environment,
    );
    if (history.entries.some(e => e.version && versionTag(e.version) === tag)) {
      found.push(environment);
    }
  }
  return found.length > 0
    ? {
        gate: 'version-in-history',
        passed: true,
        message: `${intro}; it was deployed to ${found.join(' and ')} before`,
      }
    : {
        gate: 'version-in-history',
        passed: false,
        message: `${intro}, but it appears in neither the history of ${request.to} nor of ${request.from}; only versions that ran there can be rolled back to`,
      };
}

function freezeGate(
  deps: PromotionDeps,
  environment: string,
  now: Date,
): GateResult {
  const active = deps.config.freezeWindows.filter(
    w =>
      (!w.environments || w.environments.includes(environment)) &&
      w.contains(now),
  );
  if (active.length > 0) {
    return {
      gate: 'freeze-window',
      passed: false,
      message: `${environment} is frozen (${active
        .map(w => `${w.start} – ${w.end}${w.reason ? `: ${w.reason}` : ''}`)
        .join('; ')})`,
    };
  }
  return {
    gate: 'freeze-window',
    passed: true,
    message: `${environment} is not in a freeze window`,
  };
}

interface FileGroup {
  key: string;
  source: VersionSource;
  clusters: string[];
}

async function groupByFile(
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
async function resolveRef(
  repos: PlanRepos,
  source: VersionSource,
): Promise<VersionSource> {
  if (!tracksDefaultBranch(source.ref)) {
    return source;
  }
  return { ...source, ref: await repos.baseBranch(source.repoUrl, source.ref) };
}

async function planWaves(options: {
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
        planEdit(group, request, version, repos, deps.config.yamlLimits),
      ),
    );
    waves.push({
      index,
      clusters,
      edits: edits.filter((e): e is PlannedEdit => e !== undefined),
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

async function planEdit(
  group: FileGroup,
  request: PromotionRequest,
  version: ParsedVersion,
  repos: PlanRepos,
  yamlLimits: YamlLimits | undefined,
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
  const located = locateVersion(
    file.content,
    source.locator,
    source.path,
    yamlLimits,
  );
  const where = `${describeLocator(source.locator)} in ${source.path}`;
  const value = formatVersionLike(located.location.value, version, where);
  const edit = replaceYamlScalar(
    file.content,
    located.path,
    value,
    source.path,
  );
  if (!edit.changed) {
    return undefined;
  }
  rememberContents(
    file.blobSha,
    formatYamlPath(located.path),
    value,
    edit.content,
  );
  return {
    repoUrl: source.repoUrl,
    baseBranch: source.ref,
    path: source.path,
    blobSha: file.blobSha,
    clusters: group.clusters,
    fromVersion: located.location.value,
    toVersion: value,
    diff: unifiedDiff(source.path, file.content, edit.content),
    baseCommitSha: head.commitSha,
    baseTreeSha: head.treeSha,
    locator: source.locator,
    field: formatYamlPath(located.path),
    line: located.location.line,
  };
}
