import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  GITOPS_ENTITY_ANNOTATIONS,
  SourceError,
} from '@backstage-gitops/plugin-gitops-common';
import { SlimApplication } from '../sources/types';
import { StoredApplication } from '../store/ApplicationStore';
import { EntityQuery, matchesQuery, readEntityQuery } from './entityQuery';

/** How long an empty read of the catalog's GitOps entities is kept. */
const EMPTY_REFRESH_MS = 5_000;
/** Options of {@link ApplicationClaims}. */
export interface ApplicationClaimsOptions {
  catalog: CatalogService;
  auth: AuthService;
  logger: LoggerService;
  /** Configured instance names, as `readEntityQuery` takes them. */
  instances: string[];
  /** How long the catalog's GitOps entities are trusted before they are read again. */
  refreshMs?: number;
  /** Most GitOps entities kept; beyond it claims are reported as unknown. */
  maxEntities?: number;
}

/** A GitOps entity of the catalog, with its owner and Application query. */
export interface Claimant {
  entityRef: string;
  owner?: string;
  query: EntityQuery;
  /** The entity with the fields read: kind, name, namespace, title, annotations, owner, system. */
  entity: Entity;
}

interface Loaded {
  at: number;
  claimants: Claimant[];
  /** GitOps entities beyond `maxEntities`, left out. */
  truncated: number;
}

/**
 * Which catalog entities claim an Application through their annotations. An Application claimed
 * by entities of different owners cannot be trusted to belong to either, so both entities get an
 * error (source `claim:…`) on their state, and promotion refuses both. The GitOps entities are
 * read from the catalog with the plugin's own credentials (only the fields the queries need),
 * kept for `refreshMs` and served stale while they are read again.
 */
export class ApplicationClaims {
  readonly #options: ApplicationClaimsOptions;
  #loaded?: Loaded;
  #loading?: Promise<Loaded>;

  constructor(options: ApplicationClaimsOptions) {
    this.#options = options;
  }

  /** Errors for the entity's Applications that entities of other owners claim too. */
  async conflicts(
    entity: Entity,
    applications: StoredApplication[],
  ): Promise<SourceError[]> {
    if (applications.length === 0) return [];
    let loaded: Loaded;
    try {
      loaded = await this.#claimants();
    } catch (error) {
      return [
        {
          source: 'catalog',
          kind: 'unknown',
          message: `Could not read the catalog to check that no other team's entity selects these Applications: ${error}`,
        },
      ];
    }
    const entityRef = stringifyEntityRef(entity);
    const owner = ownerOf(entity);
    const errors: SourceError[] = [];
    for (const { instance, app } of applications) {
      const view = {
        name: app.metadata.name,
        namespace: app.metadata.namespace,
        labels: app.metadata.labels,
        project: app.project,
      };
      const others = loaded.claimants.filter(
        c =>
          c.entityRef !== entityRef &&
          c.owner !== owner &&
          matchesQuery(c.query, instance, view),
      );
      if (others.length > 0) {
        errors.push({
          source: `claim:${instance}/${app.metadata.namespace}/${app.metadata.name}`,
          instance,
          kind: 'config',
          message: `Application ${
            app.metadata.name
          } is also selected by ${others
            .slice(0, 3)
            .map(o => `${o.entityRef} (owner ${o.owner ?? 'none'})`)
            .join(', ')}${
            others.length > 3 ? ` and ${others.length - 3} more` : ''
          }, while ${entityRef} is owned by ${
            owner ?? 'no one'
          }; an Application claimed by entities of different owners is promotable from none of them until all but one owner's entities stop selecting it`,
        });
      }
    }
    if (loaded.truncated > 0) {
      errors.push({
        source: 'catalog',
        kind: 'unknown',
        message: `Only ${loaded.claimants.length} of ${
          loaded.claimants.length + loaded.truncated
        } GitOps entities of the catalog were checked for Applications they share with other teams`,
      });
    }
    return errors;
  }

  /** The GitOps entities that select an Application, and their owners (`spec.owner`). */
  async claimantsOf(
    instance: string,
    app: SlimApplication,
  ): Promise<Array<{ entityRef: string; owner?: string }>> {
    const { claimants } = await this.#claimants();
    const view = {
      name: app.metadata.name,
      namespace: app.metadata.namespace,
      labels: app.metadata.labels,
      project: app.project,
    };
    return claimants
      .filter(c => matchesQuery(c.query, instance, view))
      .map(({ entityRef, owner }) => ({ entityRef, owner }));
  }

  /** The owner (`spec.owner`) of a GitOps entity, when the catalog has it. */
  async ownerOf(entityRef: string): Promise<string | undefined> {
    const { claimants } = await this.#claimants();
    const wanted = entityRef.toLocaleLowerCase('en-US');
    return claimants.find(
      c => c.entityRef.toLocaleLowerCase('en-US') === wanted,
    )?.owner;
  }

  /**
   * The catalog's GitOps entities with a valid query, as last read (read again after
   * `refreshMs`), and how many were left out beyond `maxEntities`.
   */
  async entities(): Promise<{ claimants: Claimant[]; truncated: number }> {
    const { claimants, truncated } = await this.#claimants();
    return { claimants, truncated };
  }

  async #claimants(): Promise<Loaded> {
    // none yet is what a catalog still ingesting at start answers: kept only briefly
    const refreshMs = this.#loaded?.claimants.length
      ? this.#options.refreshMs ?? 60_000
      : Math.min(this.#options.refreshMs ?? 60_000, EMPTY_REFRESH_MS);
    if (this.#loaded && Date.now() - this.#loaded.at < refreshMs) {
      return this.#loaded;
    }
    if (!this.#loading) {
      this.#loading = this.#load().finally(() => {
        this.#loading = undefined;
      });
    }
    if (this.#loaded) {
      this.#loading.catch(error =>
        this.#options.logger.warn(`Could not refresh GitOps claims: ${error}`),
      );
      return this.#loaded;
    }
    return this.#loading;
  }

  async #load(): Promise<Loaded> {
    const { catalog, auth, instances } = this.#options;
    const maxEntities = this.#options.maxEntities ?? 10_000;
    const { items } = await catalog.getEntities(
      {
        filter: GITOPS_ENTITY_ANNOTATIONS.map(annotation => ({
          [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
        })),
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.title',
          'metadata.annotations',
          'spec.owner',
          'spec.system',
        ],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const claimants: Claimant[] = [];
    for (const entity of items.slice(0, maxEntities)) {
      const { query } = readEntityQuery(entity, instances);
      if (query) {
        claimants.push({
          entityRef: stringifyEntityRef(entity),
          owner: ownerOf(entity),
          query,
          entity,
        });
      }
    }
    this.#loaded = {
      at: Date.now(),
      claimants,
      truncated: Math.max(0, items.length - maxEntities),
    };
    return this.#loaded;
  }
}

/** The entity's owner as a lower-case entity ref (`group:` by default), if it has one. */
export function ownerOf(entity: Entity): string | undefined {
  const owner = entity.spec?.owner;
  if (!owner) return undefined;
  try {
    return stringifyEntityRef(
      parseEntityRef(String(owner), {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return undefined;
  }
}
