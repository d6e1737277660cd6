import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ClusterState,
  driftCounts,
  EntityGitopsState,
  EnvironmentState,
  hasDrift,
  OverviewEnvironment,
  OverviewRow,
  SourceError,
  TrackedPromotion,
} from '@backstage-gitops/plugin-gitops-common';
import { ApplicationEpisodes } from '../episodes/ApplicationEpisodes';
import { readyPromotions } from './readyPromotions';

/** At most this many errors are kept per row, so a page stays within its size bound. */
export const MAX_ROW_ERRORS = 10;
const FAILED_PHASES = new Set(['Failed', 'Error']);

/** Promotions tracked per entity (the PromotionTracker provides them). */
export interface OverviewPromotions {
  forEntity(entityRef: string): TrackedPromotion[];
}

/** A row of the index: the row without the caller's `canPromote`, and what filters read. */
export interface IndexedRow {
  entityRef: string;
  row: Omit<OverviewRow, 'canPromote'>;
  /** The entity as read from the catalog, for permission conditions. */
  entity: Entity;
  /** Lower-case text `q` searches: name, title, owner, system. */
  search: string;
  /** Lower-case entity name, the default sort. */
  name: string;
  updatedMs: number;
  /** Errors of sources every entity of the instance shares (reported once per page). */
  sharedErrors: SourceError[];
}

/** Builds an entity's overview row from the state the state service computed. */
export function buildOverviewRow(options: {
  entity: Entity;
  entityRef: string;
  owner?: string;
  state: EntityGitopsState;
  episodes: Pick<ApplicationEpisodes, 'since'>;
}): IndexedRow {
  const { entity, entityRef, owner, state, episodes } = options;
  const environments = state.environments
    .filter(env => env.clusters.some(c => c.application || c.error))
    .map(env => overviewEnvironment(env, episodes));
  const system = systemRef(entity);
  const shared = state.errors.filter(isSharedError);
  const own = state.errors.filter(e => !isSharedError(e));
  const errors =
    own.length > MAX_ROW_ERRORS
      ? [
          ...own.slice(0, MAX_ROW_ERRORS - 1),
          {
            source: 'overview',
            kind: 'unknown' as const,
            message: `${
              own.length - MAX_ROW_ERRORS + 1
            } more errors; the service's GitOps tab lists them all`,
          },
        ]
      : own;
  const title = entity.metadata.title;
  return {
    entityRef,
    row: {
      entityRef,
      title,
      owner,
      system,
      environments,
      ready: readyPromotions(state.environments),
      errors,
      updatedAt: state.updatedAt,
    },
    entity,
    search: [entity.metadata.name, title, owner, system]
      .filter(Boolean)
      .join('\n')
      .toLocaleLowerCase('en-US'),
    name: entity.metadata.name.toLocaleLowerCase('en-US'),
    updatedMs: Date.parse(state.updatedAt),
    sharedErrors: shared,
  };
}

function overviewEnvironment(
  env: EnvironmentState,
  episodes: Pick<ApplicationEpisodes, 'since'>,
): OverviewEnvironment {
  let driftedResources = 0;
  let driftedSince: number | undefined;
  for (const cell of env.clusters) {
    if (!cell.application) continue;
    const counts = driftCounts(cell.drift);
    driftedResources +=
      counts.outOfSync + counts.requiresPruning + counts.missing;
    if (cell.sync === 'OutOfSync' || hasDrift(cell.drift)) {
      const { instance, namespace, name } = cell.application;
      const since = episodes.since('drift', { instance, namespace, name });
      if (since !== undefined && (driftedSince ?? Infinity) > since) {
        driftedSince = since;
      }
    }
  }
  return {
    name: env.name,
    version: env.version,
    versions: env.versions,
    lag: env.lag,
    health: env.health,
    sync: env.sync,
    driftedResources,
    driftedSince:
      driftedSince === undefined
        ? undefined
        : new Date(driftedSince).toISOString(),
    skew: env.skew,
    failing: env.clusters.some(isFailing),
    unknownClusters: env.clusters.filter(c => c.error).length,
    promotion: env.promotion,
  };
}

function isFailing(cell: ClusterState): boolean {
  const phase = cell.operation?.phase ?? cell.operationPhase;
  return cell.health === 'Degraded' || (!!phase && FAILED_PHASES.has(phase));
}

/**
 * The environments with the newest tracked promotion into each, read when the page is served so
 * a promotion's stage is current without recomputing the row.
 */
export function withPromotions(
  environments: OverviewEnvironment[],
  promotions: TrackedPromotion[],
): OverviewEnvironment[] {
  if (promotions.length === 0) return environments;
  const newest = new Map<string, TrackedPromotion>();
  for (const p of promotions) {
    const current = newest.get(p.to);
    if (!current || Date.parse(p.openedAt) > Date.parse(current.openedAt)) {
      newest.set(p.to, p);
    }
  }
  return environments.map(env => {
    const promotion = newest.get(env.name);
    return promotion ? { ...env, promotion } : env;
  });
}

/** An instance that cannot be read fails every entity reading from it. */
function isSharedError(error: SourceError): boolean {
  return (
    error.source.startsWith('instance:') &&
    error.kind !== 'malformed' &&
    !error.cluster
  );
}

function systemRef(entity: Entity): string | undefined {
  const system = entity.spec?.system;
  if (!system) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(String(system), {
        defaultKind: 'system',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}
