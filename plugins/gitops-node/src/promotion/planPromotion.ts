import {
  ClusterState,
  EnvironmentState,
  GateResult,
  PromotionPlan,
  PromotionRequest,
  PromotionSourceSnapshot,
} from '@backstage-gitops/plugin-gitops-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { parseVersion, ParsedVersion, versionTag } from '../version';
import { groupByFile, planWaves, resolveRef } from './planEdits';
import { PlanRepos } from './planRepos';
import {
  freezeGate,
  historyGate,
  permissionGate,
  sourceGate,
} from './promotionGates';
import { entityTabUrl } from './entityTabUrl';
import { locatorsOf } from './locatorsOf';
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
            : ` (${
                cell?.desiredReason ??
                'no Application of the entity lands there'
              })`
        }; promote the other clusters with "targets"`,
      );
    }
    // a version Git holds in no editable place is refused before any repository is read
    locatorsOf(deps)
      .forLocator(cell.desiredSource.locator)
      .checkWritable?.(cell.desiredSource);
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
    targetCells.map(
      t => locatorsOf(deps).forLocator(t.desired.locator).versionKind,
    ),
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
  const gates: GateResult[] = [permissionGate(context, entityRef)];
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
    entityUrl: entityTabUrl(config.appBaseUrl, entity),
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
