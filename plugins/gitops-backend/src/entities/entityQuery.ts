import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ANNOTATION_ARGOCD_APP_NAME,
  ANNOTATION_ARGOCD_APP_NAMESPACE,
  ANNOTATION_ARGOCD_APP_SELECTOR,
  ANNOTATION_ARGOCD_INSTANCE_NAME,
  ANNOTATION_ARGOCD_PROJECT_NAME,
  ANNOTATION_GITOPS_IMAGE,
  ANNOTATION_KUBERNETES_ID,
  SourceError,
} from '@backstage-gitops/plugin-gitops-common';
import { ApplicationStore, StoredApplication } from '../store/ApplicationStore';
import {
  hasEqualityRequirement,
  LabelRequirement,
  matchesLabels,
  parseLabelSelector,
} from './labelSelector';

/** Which Applications belong to an entity, from its annotations. */
export interface EntityQuery {
  requirements: LabelRequirement[];
  name?: string;
  /** The instances `argocd/instance-name` names (a comma list); every instance when absent. */
  instances?: string[];
  namespace?: string;
  project?: string;
  /** Names the entity's image may carry, to pick its live and desired version. */
  serviceNames: string[];
  /** The service's image repositories (`gitops/image`), which pick its live image first. */
  imageRepositories?: string[];
}

/** The query of an entity, or why it has none. */
export interface EntityQueryResult {
  configured: boolean;
  query?: EntityQuery;
  errors: SourceError[];
}

/** Label of Applications matched against `backstage.io/kubernetes-id`. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/** Labels the store indexes, so the common selectors are lookups, not scans. */
export const INDEXED_LABELS = [
  KUBERNETES_ID_LABEL,
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/part-of',
];

/**
 * Reads an entity's GitOps annotations. An annotation can only choose among configured
 * instances: `argocd/instance-name` is a comma list (`argo-1,argo-2`, as the community Argo CD
 * plugin reads it) and any unknown name in it is an error, never an endpoint.
 */
export function readEntityQuery(
  entity: Entity,
  instances: string[],
): EntityQueryResult {
  const annotations = entity.metadata.annotations ?? {};
  const selector = annotations[ANNOTATION_ARGOCD_APP_SELECTOR];
  const appName = annotations[ANNOTATION_ARGOCD_APP_NAME];
  const kubernetesId = annotations[ANNOTATION_KUBERNETES_ID];
  if (!selector && !appName && !kubernetesId) {
    return { configured: false, errors: [] };
  }
  const query: EntityQuery = {
    requirements: [],
    serviceNames: [entity.metadata.name],
  };
  // a blank value would select every Application of every team, as would a selector that
  // names no label value: both are refused, so an annotation cannot claim other teams' services
  if (selector && appName) {
    return {
      configured: true,
      errors: [
        {
          source: `annotation:${ANNOTATION_ARGOCD_APP_SELECTOR}`,
          kind: 'config',
          message: `Both ${ANNOTATION_ARGOCD_APP_NAME} and ${ANNOTATION_ARGOCD_APP_SELECTOR} are set on ${stringifyEntityRef(
            entity,
          )}; keep one of the two: ${ANNOTATION_ARGOCD_APP_NAME} names one Application, ${ANNOTATION_ARGOCD_APP_SELECTOR} selects them by label`,
        },
      ],
    };
  }
  let annotation = ANNOTATION_KUBERNETES_ID;
  if (selector) annotation = ANNOTATION_ARGOCD_APP_SELECTOR;
  else if (appName) annotation = ANNOTATION_ARGOCD_APP_NAME;
  const value = (selector || appName || kubernetesId)!;
  try {
    if (!value.trim()) {
      throw new InputError('The value is blank');
    }
    if (selector) {
      query.requirements = parseLabelSelector(selector);
      if (!hasEqualityRequirement(query.requirements)) {
        throw new InputError(
          'The selector names no label value, so it would select the Applications of every team; add an equality requirement such as app.kubernetes.io/name=<name> (or "in" with one value)',
        );
      }
    } else if (appName) {
      query.name = appName.trim();
    } else {
      query.requirements = [
        { key: KUBERNETES_ID_LABEL, op: '=', value: kubernetesId!.trim() },
      ];
    }
  } catch (error) {
    return {
      configured: true,
      errors: [
        {
          source: `annotation:${annotation}`,
          kind: 'config',
          message: `${
            (error as Error).message
          } (annotation ${annotation} of ${stringifyEntityRef(entity)})`,
        },
      ],
    };
  }
  for (const r of query.requirements) {
    if (
      r.op === '=' &&
      (r.key === 'app.kubernetes.io/name' || r.key === KUBERNETES_ID_LABEL)
    ) {
      query.serviceNames.push(r.value);
    }
  }
  if (kubernetesId) query.serviceNames.push(kubernetesId);
  query.serviceNames = [...new Set(query.serviceNames)];
  const images = (annotations[ANNOTATION_GITOPS_IMAGE] ?? '')
    .split(',')
    .map(i => i.trim())
    .filter(Boolean);
  if (images.length) query.imageRepositories = images;

  const named = [
    ...new Set(
      (annotations[ANNOTATION_ARGOCD_INSTANCE_NAME] ?? '')
        .split(',')
        .map(n => n.trim())
        .filter(Boolean),
    ),
  ];
  if (named.length) {
    const unknown = named.filter(n => !instances.includes(n));
    if (unknown.length) {
      return {
        configured: true,
        errors: unknown.map(instance => ({
          source: `annotation:${ANNOTATION_ARGOCD_INSTANCE_NAME}`,
          instance,
          kind: 'config',
          message: `Instance ${instance} named by annotation ${ANNOTATION_ARGOCD_INSTANCE_NAME} is not configured under gitops.instances (configured: ${
            instances.join(', ') || 'none'
          })`,
        })),
      };
    }
    query.instances = named;
  }
  query.namespace =
    annotations[ANNOTATION_ARGOCD_APP_NAMESPACE]?.trim() || undefined;
  query.project =
    annotations[ANNOTATION_ARGOCD_PROJECT_NAME]?.trim() || undefined;
  return { configured: true, query, errors: [] };
}

/** Whether a query reads from an instance (it names none, or names this one among others). */
export function readsFromInstance(query: EntityQuery, instance: string) {
  return !query.instances || query.instances.includes(instance);
}

/** Whether one Application (or what is known of a malformed one) matches a query. */
export function matchesQuery(
  query: EntityQuery,
  instance: string,
  app: {
    name?: string;
    namespace?: string;
    labels: Record<string, string>;
    project?: string;
  },
): boolean {
  return (
    readsFromInstance(query, instance) &&
    (!query.namespace || query.namespace === app.namespace) &&
    (!query.project || query.project === app.project) &&
    (!query.name || query.name === app.name) &&
    matchesLabels(query.requirements, app.labels)
  );
}

/**
 * The Applications of an entity, or none and a config error when its query selects more than
 * `max`: a too-wide selector is reported rather than served partially or fanned out upstream.
 */
export function findEntityApplications(
  store: ApplicationStore,
  query: EntityQuery,
  max: number,
): { applications: StoredApplication[]; error?: SourceError } {
  const applications = findApplications(store, query);
  if (applications.length <= max) {
    return { applications };
  }
  return {
    applications: [],
    error: {
      source: 'annotation:selection',
      kind: 'config',
      message: `The entity's annotations select ${applications.length} Applications, more than the ${max} one entity may have (gitops.maxApplicationsPerEntity); narrow ${ANNOTATION_ARGOCD_APP_SELECTOR}, for example with app.kubernetes.io/name=<name>`,
    },
  };
}

/** The Applications of an entity, through the store's indexes when the query allows. */
export function findApplications(
  store: ApplicationStore,
  query: EntityQuery,
): StoredApplication[] {
  let candidates: StoredApplication[] | undefined;
  if (query.name) {
    candidates = store.byName(query.name);
  } else {
    for (const r of query.requirements) {
      if (r.op === '=') {
        candidates = store.byLabel(r.key, r.value);
        if (candidates) break;
      }
    }
  }
  return (candidates ?? store.list()).filter(({ instance, app }) =>
    matchesQuery(query, instance, {
      name: app.metadata.name,
      namespace: app.metadata.namespace,
      labels: app.metadata.labels,
      project: app.project,
    }),
  );
}
