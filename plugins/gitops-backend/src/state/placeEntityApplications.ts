import {
  placeApplication,
  SourceError,
} from '@backstage-gitops/plugin-gitops-common';
import { GitopsConfig } from '@backstage-gitops/plugin-gitops-node';
import { StoredApplication } from '../store/ApplicationStore';

/** An Application of an entity with the cell it is shown in. */
export interface PlacedApplication {
  stored: StoredApplication;
  environment: string;
  cluster: string;
}

function compareStrings(a: string, b: string) {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function describeApp({ instance, app }: StoredApplication) {
  return `${app.metadata.namespace}/${app.metadata.name} (instance ${instance})`;
}

/** What Argo CD itself reports wrong with an Application (its error conditions), to add to a message. */
function argoCdErrors({ app }: StoredApplication) {
  const errors = app.drift.comparisonErrors;
  return errors.length ? `; Argo CD reports ${errors.join('; ')}` : '';
}

/** Two Applications of one entity land in the same cell: one is shown, the other reported. */
function ambiguousError(
  shown: StoredApplication,
  hidden: StoredApplication,
  environment: string,
  cluster: string,
): SourceError {
  return {
    source: `application:${hidden.instance}/${hidden.app.metadata.namespace}/${hidden.app.metadata.name}`,
    instance: hidden.instance,
    environment,
    cluster,
    kind: 'ambiguous',
    message: `Applications ${describeApp(shown)} and ${describeApp(
      hidden,
    )} both deploy this entity to ${environment}/${cluster}; showing ${
      shown.app.metadata.name
    }. Narrow the entity's argocd/app-selector or argocd/app-name annotation, or place one of them elsewhere.`,
  };
}

/**
 * Places an entity's Applications in their (environment, cluster) cells, one per cell; an
 * in-cluster destination means the reporting instance's own cluster. Of two
 * Applications in one cell the same one is always shown (by name, instance, then namespace) and
 * the other reported as ambiguous; an Application that cannot be placed is reported too. The
 * state and the history of an entity use this, so they speak of the same Applications.
 */
export function placeEntityApplications(
  applications: StoredApplication[],
  config: Pick<GitopsConfig, 'topology' | 'environmentLabel' | 'instances'>,
): { placed: PlacedApplication[]; errors: SourceError[] } {
  const errors: SourceError[] = [];
  const apps = [...applications].sort(
    (a, b) =>
      compareStrings(a.app.metadata.name, b.app.metadata.name) ||
      compareStrings(a.instance, b.instance) ||
      compareStrings(a.app.metadata.namespace, b.app.metadata.namespace),
  );
  const placed: PlacedApplication[] = [];
  for (const stored of apps) {
    const result = placeApplication(
      {
        destination: stored.app.destination,
        labels: stored.app.metadata.labels,
      },
      config.topology,
      {
        environmentLabel: config.environmentLabel,
        instanceClusters: config.instances.find(i => i.name === stored.instance)
          ?.clusters,
      },
    );
    if (!result.placement) {
      errors.push({
        source: `application:${stored.instance}/${stored.app.metadata.namespace}/${stored.app.metadata.name}`,
        instance: stored.instance,
        kind: 'config',
        message: `Application ${stored.app.metadata.name} cannot be placed: ${
          result.reason
        }${argoCdErrors(stored)}`,
      });
      continue;
    }
    const { environment, cluster } = result.placement;
    const shown = placed.find(
      p => p.environment === environment && p.cluster === cluster,
    );
    if (shown) {
      errors.push(ambiguousError(shown.stored, stored, environment, cluster));
      continue;
    }
    placed.push({ stored, environment, cluster });
  }
  return { placed, errors };
}
