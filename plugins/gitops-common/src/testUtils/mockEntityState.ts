import { summarizeEnvironments } from '../environments';
import type { ClusterState, EntityGitopsState } from '../state';

/**
 * Options of {@link mockEntityState}.
 *
 * @public
 */
export interface MockEntityStateOptions {
  /** Errors of failing sources. Defaults to none. */
  errors?: EntityGitopsState['errors'];
  /** Defaults to the epoch, so that states compare equal. */
  updatedAt?: string;
}

/**
 * The state of an entity as the state API serves it: `clusters` grouped into environments in
 * the order they first appear (each titled by its name), summarized like the backend does.
 *
 * @public
 */
export function mockEntityState(
  entityRef: string,
  clusters: ClusterState[],
  options: MockEntityStateOptions = {},
): EntityGitopsState {
  const names = [...new Set(clusters.map(c => c.environment))];
  return {
    entityRef,
    status: 'ok',
    environments: summarizeEnvironments(
      names.map(name => ({
        name,
        title: name,
        clusters: clusters.filter(c => c.environment === name),
      })),
    ),
    errors: options.errors ?? [],
    updatedAt: options.updatedAt ?? new Date(0).toISOString(),
  };
}
