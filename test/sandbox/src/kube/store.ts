import { EventEmitter } from 'node:events';
import crypto from 'node:crypto';
import { matchesLabels, Requirement } from './labelSelector';
import { errors, KubeError } from './status';
import { RESOURCES, ARGO_API_VERSION } from './resources';
import { validateObject } from './validate';
import { jsonPatch, JsonPatchOp, mergePatch, PatchError } from './patch';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: any;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchEventType;
  plural: string;
  object: KubeObject;
  /** For MODIFIED and DELETED: the object before the change. */
  previous?: KubeObject;
  rv: number;
}

export interface ListOptions {
  namespace?: string;
  selector?: Requirement[];
  limit?: number;
  continueToken?: string;
  /**
   * List as of this resourceVersion (`resourceVersionMatch=Exact`); default the latest. Older
   * than the compacted history: 410 Gone.
   */
  exactRv?: number;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export interface WriteOptions {
  /** Validate against the CRD schema (default true). */
  validate?: boolean;
}

const keyOf = (namespace: string | undefined, name: string) =>
  `${namespace ?? ''}/${name}`;

function lowerBound(keys: string[], value: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

/**
 * The object store of one Kubernetes API server (one Argo CD control plane):
 * etcd-like, with a single resourceVersion counter, a bounded event history
 * for watch resumption, and compaction (which makes old resourceVersions and
 * continue tokens expire with 410 Gone).
 *
 * Stored objects are treated as immutable: every write stores a new object,
 * which lets generated worlds share sub-objects between Applications.
 */
export class ClusterStore extends EventEmitter {
  private rv = 1;
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  private readonly sortedKeys = new Map<string, string[]>();
  private log: StoreEvent[] = [];
  /** Watches and continue tokens from a resourceVersion below this are expired. */
  private compactedRv = 1;

  constructor(readonly name: string, private readonly historyLimit = 10_000) {
    super();
    this.setMaxListeners(0);
    for (const plural of Object.keys(RESOURCES))
      this.tables.set(plural, new Map());
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  private table(plural: string): Map<string, KubeObject> {
    const table = this.tables.get(plural);
    if (!table) throw new KubeError(errors.pathNotFound());
    return table;
  }

  private keys(plural: string): string[] {
    let keys = this.sortedKeys.get(plural);
    if (!keys) {
      keys = [...this.table(plural).keys()].sort();
      this.sortedKeys.set(plural, keys);
    }
    return keys;
  }

  count(plural = 'applications'): number {
    return this.table(plural).size;
  }

  get(
    plural: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject | undefined {
    return this.table(plural).get(keyOf(namespace, name));
  }

  /** All objects of a kind (unsorted), optionally in one namespace. */
  all(plural = 'applications', namespace?: string): KubeObject[] {
    const items = [...this.table(plural).values()];
    return namespace
      ? items.filter(o => o.metadata.namespace === namespace)
      : items;
  }

  list(plural: string, options: ListOptions = {}): ListResult {
    const prefix =
      options.namespace !== undefined ? `${options.namespace}/` : '';
    let start = prefix;
    let listRv = options.exactRv ?? this.rv;
    if (options.continueToken) {
      const token = this.decodeContinue(options.continueToken);
      if (token.rv < this.compactedRv) {
        throw new KubeError(
          errors.gone(
            'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
          ),
        );
      }
      start = prefix + token.start;
      listRv = token.rv;
    } else if (listRv < this.compactedRv) {
      throw new KubeError(
        errors.gone('The resourceVersion for the provided list is too old.'),
      );
    }
    // Like etcd, every page of one list is served from the same revision.
    const { table, keys } =
      listRv >= this.rv
        ? { table: this.table(plural), keys: this.keys(plural) }
        : this.snapshot(plural, listRv);
    const limit = options.limit && options.limit > 0 ? options.limit : Infinity;
    const items: KubeObject[] = [];
    let index = lowerBound(keys, start);
    let lastKey: string | undefined;
    for (; index < keys.length; index++) {
      const key = keys[index];
      if (prefix && !key.startsWith(prefix)) break;
      const obj = table.get(key)!;
      if (
        options.selector?.length &&
        !matchesLabels(options.selector, obj.metadata.labels)
      )
        continue;
      if (items.length >= limit) break;
      items.push(obj);
      lastKey = key;
    }
    const more =
      index < keys.length && (!prefix || keys[index].startsWith(prefix));
    const result: ListResult = { items, resourceVersion: String(listRv) };
    if (more && lastKey !== undefined) {
      result.continueToken = Buffer.from(
        JSON.stringify({
          v: 'meta.k8s.io/v1',
          rv: listRv,
          start: `${lastKey.slice(prefix.length)}\u0000`,
        }),
      ).toString('base64');
      if (!options.selector?.length) {
        const end = prefix
          ? lowerBound(keys, `${prefix.slice(0, -1)}0`)
          : keys.length;
        result.remainingItemCount = end - index;
      }
    }
    return result;
  }

  private lastSnapshot?: {
    plural: string;
    rv: number;
    headRv: number;
    table: Map<string, KubeObject>;
    keys: string[];
  };

  /** The objects of a kind as they were at `rv`: today's table with later events undone. */
  private snapshot(plural: string, rv: number) {
    const cached = this.lastSnapshot;
    if (
      cached &&
      cached.plural === plural &&
      cached.rv === rv &&
      cached.headRv === this.rv
    )
      return cached;
    const table = new Map(this.table(plural));
    for (let i = this.log.length - 1; i >= 0 && this.log[i].rv > rv; i--) {
      const event = this.log[i];
      if (event.plural !== plural) continue;
      const key = keyOf(
        event.object.metadata.namespace,
        event.object.metadata.name,
      );
      if (event.type === 'ADDED') table.delete(key);
      else if (event.type === 'MODIFIED') table.set(key, event.previous!);
      else table.set(key, event.previous ?? event.object);
    }
    this.lastSnapshot = {
      plural,
      rv,
      headRv: this.rv,
      table,
      keys: [...table.keys()].sort(),
    };
    return this.lastSnapshot;
  }

  private decodeContinue(token: string): ContinueToken {
    try {
      const parsed = JSON.parse(
        Buffer.from(token, 'base64').toString('utf8'),
      ) as ContinueToken;
      if (
        parsed.v !== 'meta.k8s.io/v1' ||
        typeof parsed.rv !== 'number' ||
        typeof parsed.start !== 'string'
      ) {
        throw new Error('bad token');
      }
      return parsed;
    } catch {
      throw new KubeError(
        errors.badRequest(
          `continue key is not valid: illegal base64 data or invalid token`,
        ),
      );
    }
  }

  private record(event: Omit<StoreEvent, 'rv'>): StoreEvent {
    const full = { ...event, rv: this.rv } as StoreEvent;
    this.log.push(full);
    if (this.log.length > this.historyLimit * 1.5) {
      const drop = this.log.length - this.historyLimit;
      this.compactedRv = this.log[drop - 1].rv;
      this.log = this.log.slice(drop);
    }
    this.emit('event', full);
    return full;
  }

  private stamp(
    plural: string,
    obj: KubeObject,
    previous?: KubeObject,
  ): KubeObject {
    this.rv += 1;
    const type = RESOURCES[plural];
    const specChanged =
      previous && JSON.stringify(previous.spec) !== JSON.stringify(obj.spec);
    return {
      ...obj,
      apiVersion: ARGO_API_VERSION,
      kind: type.kind,
      metadata: {
        ...obj.metadata,
        uid: previous?.metadata.uid ?? obj.metadata.uid ?? crypto.randomUUID(),
        creationTimestamp:
          previous?.metadata.creationTimestamp ??
          obj.metadata.creationTimestamp ??
          new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
        generation: previous
          ? (previous.metadata.generation ?? 1) + (specChanged ? 1 : 0)
          : 1,
        resourceVersion: String(this.rv),
      },
    };
  }

  private check(plural: string, obj: KubeObject, options?: WriteOptions): void {
    if (options?.validate === false) return;
    const causes = validateObject(plural, obj);
    if (causes.length) {
      throw new KubeError(
        errors.invalid(
          RESOURCES[plural].kind,
          obj.metadata?.name ?? '',
          causes,
        ),
      );
    }
  }

  create(
    plural: string,
    input: KubeObject,
    options?: WriteOptions,
  ): KubeObject {
    const table = this.table(plural);
    const name = input?.metadata?.name;
    if (!name) {
      throw new KubeError(
        errors.invalid(RESOURCES[plural].kind, '', [
          {
            field: 'metadata.name',
            message: 'Required value: name or generateName is required',
          },
        ]),
      );
    }
    const key = keyOf(input.metadata.namespace, name);
    if (table.has(key)) throw new KubeError(errors.alreadyExists(plural, name));
    const candidate = { ...input, metadata: { ...input.metadata } };
    delete candidate.metadata.resourceVersion;
    this.check(plural, candidate, options);
    const stored = this.stamp(plural, candidate);
    table.set(key, stored);
    this.sortedKeys.delete(plural);
    this.record({ type: 'ADDED', plural, object: stored });
    return stored;
  }

  /** PUT semantics: optimistic concurrency when metadata.resourceVersion is given. */
  update(
    plural: string,
    input: KubeObject,
    options?: WriteOptions,
  ): KubeObject {
    const table = this.table(plural);
    const name = input?.metadata?.name;
    const key = keyOf(input?.metadata?.namespace, name);
    const previous = table.get(key);
    if (!previous) throw new KubeError(errors.notFound(plural, name));
    const expected = input.metadata.resourceVersion;
    if (expected && expected !== previous.metadata.resourceVersion) {
      throw new KubeError(errors.conflict(plural, name));
    }
    this.check(plural, input, options);
    const stored = this.stamp(plural, input, previous);
    table.set(key, stored);
    this.record({ type: 'MODIFIED', plural, object: stored, previous });
    return stored;
  }

  patch(
    plural: string,
    namespace: string | undefined,
    name: string,
    kind: 'merge' | 'json',
    patch: unknown,
    options?: WriteOptions,
  ): KubeObject {
    const previous = this.get(plural, namespace, name);
    if (!previous) throw new KubeError(errors.notFound(plural, name));
    let next: KubeObject;
    try {
      next =
        kind === 'merge'
          ? (mergePatch(previous, patch) as KubeObject)
          : (jsonPatch(previous, patch as JsonPatchOp[]) as KubeObject);
    } catch (error) {
      if (error instanceof PatchError) {
        throw new KubeError({
          ...errors.badRequest(error.message),
          code: 422,
          reason: 'Invalid',
        });
      }
      throw error;
    }
    next = { ...next, metadata: { ...next.metadata, name, namespace } };
    if (next.metadata.resourceVersion !== previous.metadata.resourceVersion) {
      // A patch carrying a resourceVersion is a precondition, as with kubectl.
      if (next.metadata.resourceVersion)
        throw new KubeError(errors.conflict(plural, name));
    }
    next.metadata.resourceVersion = previous.metadata.resourceVersion;
    return this.update(plural, next, options);
  }

  delete(
    plural: string,
    namespace: string | undefined,
    name: string,
  ): KubeObject {
    const table = this.table(plural);
    const key = keyOf(namespace, name);
    const previous = table.get(key);
    if (!previous) throw new KubeError(errors.notFound(plural, name));
    table.delete(key);
    this.sortedKeys.delete(plural);
    this.rv += 1;
    const deleted = {
      ...previous,
      metadata: { ...previous.metadata, resourceVersion: String(this.rv) },
    };
    this.record({ type: 'DELETED', plural, object: deleted, previous });
    return deleted;
  }

  /**
   * Loads many objects at once without validation or events (for generated worlds).
   * History before this point is compacted.
   */
  load(plural: string, objects: Iterable<KubeObject>): void {
    const table = this.table(plural);
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const type = RESOURCES[plural];
    for (const obj of objects) {
      this.rv += 1;
      obj.apiVersion = ARGO_API_VERSION;
      obj.kind = type.kind;
      obj.metadata.resourceVersion = String(this.rv);
      obj.metadata.generation ??= 1;
      obj.metadata.creationTimestamp ??= now;
      obj.metadata.uid ??= crypto.randomUUID();
      table.set(keyOf(obj.metadata.namespace, obj.metadata.name), obj);
    }
    this.sortedKeys.delete(plural);
    this.compact();
  }

  /** Forgets the event history: watches and continue tokens from before now get 410 Gone. */
  compact(): void {
    this.log = [];
    this.compactedRv = this.rv;
  }

  /** Events after `rv`, or 'gone' when that resourceVersion has been compacted. */
  eventsSince(rv: number): StoreEvent[] | 'gone' {
    if (rv < this.compactedRv) return 'gone';
    let lo = 0;
    let hi = this.log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.log[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.log.slice(lo);
  }

  /** Removes every object (keeps the resourceVersion counter, compacts). */
  clear(): void {
    for (const [plural, table] of this.tables) {
      table.clear();
      this.sortedKeys.delete(plural);
    }
    this.compact();
  }
}
