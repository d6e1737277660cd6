import { EntityQuery, matchesQuery } from '../entities/entityQuery';
import { SlimApplication } from '../sources/types';

/**
 * Which entities an Application belongs to, without scanning every entity on each change: each
 * entity's query is filed under the Application name it names, or under one label value it
 * requires (`key=value`, or `in` with one value). An Application is then checked only against
 * the queries filed under its name and its labels' values.
 */
export class QueryIndex {
  readonly #queries = new Map<string, { query: EntityQuery; key: string }>();
  readonly #byKey = new Map<string, Set<string>>();

  /** Files (or re-files) an entity's query. */
  set(entityRef: string, query: EntityQuery): void {
    this.delete(entityRef);
    const key = indexKey(query);
    this.#queries.set(entityRef, { query, key });
    let refs = this.#byKey.get(key);
    if (!refs) {
      refs = new Set();
      this.#byKey.set(key, refs);
    }
    refs.add(entityRef);
  }

  delete(entityRef: string): void {
    const filed = this.#queries.get(entityRef);
    if (!filed) return;
    this.#queries.delete(entityRef);
    const refs = this.#byKey.get(filed.key);
    refs?.delete(entityRef);
    if (refs?.size === 0) this.#byKey.delete(filed.key);
  }

  entityRefs(): string[] {
    return [...this.#queries.keys()];
  }

  /** The entities whose query matches the Application. */
  matching(instance: string, app: SlimApplication): string[] {
    const keys = [
      `name\u0000${app.metadata.name}`,
      ...Object.entries(app.metadata.labels).map(
        ([label, value]) => `label\u0000${label}=${value}`,
      ),
    ];
    const view = {
      name: app.metadata.name,
      namespace: app.metadata.namespace,
      labels: app.metadata.labels,
      project: app.project,
    };
    const found: string[] = [];
    for (const key of keys) {
      for (const entityRef of this.#byKey.get(key) ?? []) {
        if (matchesQuery(this.#queries.get(entityRef)!.query, instance, view)) {
          found.push(entityRef);
        }
      }
    }
    return found;
  }
}

/**
 * The key a query is filed under. Every query has one: `readEntityQuery` refuses selectors
 * without an equality requirement.
 */
function indexKey(query: EntityQuery): string {
  if (query.name) return `name\u0000${query.name}`;
  for (const r of query.requirements) {
    if (r.op === '=') return `label\u0000${r.key}=${r.value}`;
    if (r.op === 'in' && r.values.length === 1) {
      return `label\u0000${r.key}=${r.values[0]}`;
    }
  }
  throw new Error(
    'An entity query without an Application name or label value cannot be indexed',
  );
}
