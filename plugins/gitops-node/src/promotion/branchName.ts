import { CompoundEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/** Separates the environment from the clusters in the branch of a part of an environment. */
export const CLUSTERS_SEPARATOR = '--';

/**
 * Joins a non-default namespace to the entity name in one component. Neither a namespace nor an
 * entity name can hold a `+`, so `foo+prod` (entity `prod` of namespace `foo`) never meets a
 * default-namespace entity's component, and the two never nest (`a/foo/prod` beside
 * `a/foo/prod/x`, which Git cannot hold).
 */
const NAMESPACE_SEPARATOR = '+';

/**
 * The deterministic branch of a promotion: one per (entity, target environment, clusters), so a
 * repeated or newer promotion finds and updates the same pull request. The clusters are named
 * only when they are not the whole environment, after `--` rather than a `/`: Git cannot hold a
 * branch `a/prod` beside `a/prod/prod-eu-1`, and both are open at once while one supersedes the
 * other. Every component is escaped to what `git check-ref-format --branch` accepts.
 *
 * @public
 */
export function promotionBranchName(options: {
  prefix: string;
  entity: CompoundEntityRef;
  environment: string;
  clusters: string[];
  environmentClusters: string[];
}): string {
  const { prefix, entity, environment, clusters, environmentClusters } =
    options;
  const whole =
    clusters.length === environmentClusters.length &&
    environmentClusters.every(c => clusters.includes(c));
  const subject =
    entity.namespace.toLowerCase() === 'default'
      ? safe(entity.name)
      : `${safe(entity.namespace)}${NAMESPACE_SEPARATOR}${safe(entity.name)}`;
  let branch = `${prefix}/${subject}/${safe(environment)}`;
  if (!whole) {
    branch += `${CLUSTERS_SEPARATOR}${[...clusters]
      .sort()
      .map(safe)
      .join('+')}`;
  }
  const problem = refFormatProblem(branch);
  if (problem) {
    throw new InputError(
      `Cannot name a promotion branch ${JSON.stringify(branch)}: ${problem}`,
    );
  }
  return branch;
}

/** One path component: lower case, no `/`, and nothing `git check-ref-format` refuses. */
function safe(part: string): string {
  return (
    part
      .toLowerCase()
      .replace(/[^a-z0-9._-]/g, '-')
      // `..` anywhere, `.` first or last, and a `.lock` ending are refused in any component
      .replace(/\.(?=\.)/g, '-')
      .replace(/^\./, '-')
      .replace(/\.$/, '-')
      .replace(/\.lock$/, '-lock') || '-'
  );
}

/**
 * Why `git check-ref-format --branch` would refuse a branch name, or undefined when it would
 * accept it (the rules of git-check-ref-format(1)).
 *
 * @public
 */
export function refFormatProblem(branch: string): string | undefined {
  if (branch.startsWith('-')) return 'it starts with -';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(branch)) {
    return 'it has a space, control character or one of ~ ^ : ? * [ \\';
  }
  if (branch.includes('..')) return 'it has ..';
  if (branch.includes('@{') || branch === '@') return 'it has @{ or is @';
  if (branch.endsWith('.')) return 'it ends with .';
  for (const component of branch.split('/')) {
    if (component === '') return 'it has an empty path component';
    if (component.startsWith('.')) return `${component} starts with .`;
    if (component.endsWith('.lock')) return `${component} ends with .lock`;
  }
  return undefined;
}
