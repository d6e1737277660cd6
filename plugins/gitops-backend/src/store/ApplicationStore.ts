import { isDeepStrictEqual } from 'node:util';
import type {
  ApplicationSink,
  MalformedApplication,
} from '@backstage-gitops/plugin-gitops-node';
import { SlimApplication } from '../sources/types';

/** An Application in the store, with the instance it came from. */
export interface StoredApplication {
  instance: string;
  app: SlimApplication;
}

/** A malformed Application, kept so entities it would match can report it. */
export interface MalformedEntry {
  instance: string;
  namespace?: string;
  name?: string;
  labels: Record<string, string>;
  message: string;
}

/** A change of one Application; `before` or `after` is absent on add and delete. */
export interface ApplicationChange {
  instance: string;
  before?: SlimApplication;
  after?: SlimApplication;
}

type Listener = (change: ApplicationChange) => void;

function keyOf(namespace: string, name: string) {
  return `${namespace}/${name}`;
}

/** Whether two projections are equal but for their resourceVersion. */
export function sameProjection(a: SlimApplication, b: SlimApplication) {
  return isDeepStrictEqual(
    { ...a, metadata: { ...a.metadata, resourceVersion: undefined } },
    { ...b, metadata: { ...b.metadata, resourceVersion: undefined } },
  );
}

/**
 * The in-memory store of slim Applications of every instance, with an index by label value and
 * by name so entity lookups do not scan every Application. Listeners hear of an Application only
 * when its projection changed: not of resourceVersion-only updates or identical re-lists.
 */
export class ApplicationStore implements ApplicationSink {
  readonly #apps = new Map<string, Map<string, SlimApplication>>();
  readonly #malformed = new Map<string, Map<string, MalformedEntry>>();
  readonly #labelIndex = new Map<string, Set<StoredApplication>>();
  readonly #nameIndex = new Map<string, Set<StoredApplication>>();
  readonly #entries = new Map<SlimApplication, StoredApplication>();
  readonly #listeners = new Set<Listener>();

  constructor(private readonly indexedLabels: string[]) {}

  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  upsert(instance: string, app: SlimApplication): void {
    const apps = this.#instanceApps(instance);
    const key = keyOf(app.metadata.namespace, app.metadata.name);
    this.#malformed.get(instance)?.delete(key);
    const before = apps.get(key);
    if (before === app) {
      return;
    }
    if (
      before?.metadata.resourceVersion &&
      before.metadata.resourceVersion === app.metadata.resourceVersion
    ) {
      return;
    }
    if (before && sameProjection(before, app)) {
      // a status write the projection drops (reconciledAt, managedFields...): nothing to tell
      before.metadata.resourceVersion = app.metadata.resourceVersion;
      return;
    }
    if (before) {
      this.#unindex(before);
    }
    apps.set(key, app);
    this.#index(instance, app);
    this.#emit({ instance, before, after: app });
  }

  remove(instance: string, namespace: string, name: string): void {
    const key = keyOf(namespace, name);
    this.#malformed.get(instance)?.delete(key);
    const apps = this.#apps.get(instance);
    const before = apps?.get(key);
    if (!apps || !before) {
      return;
    }
    apps.delete(key);
    this.#unindex(before);
    this.#emit({ instance, before });
  }

  /**
   * Replaces an instance's Applications (in one namespace when given) after a full list:
   * adds and updates what is listed, removes what is no longer there.
   */
  replaceAll(
    instance: string,
    apps: SlimApplication[],
    namespace?: string,
  ): void {
    const listed = new Set(
      apps.map(a => keyOf(a.metadata.namespace, a.metadata.name)),
    );
    for (const app of [...this.#instanceApps(instance).values()]) {
      const key = keyOf(app.metadata.namespace, app.metadata.name);
      if (
        (!namespace || app.metadata.namespace === namespace) &&
        !listed.has(key)
      ) {
        this.remove(instance, app.metadata.namespace, app.metadata.name);
      }
    }
    for (const app of apps) {
      this.upsert(instance, app);
    }
  }

  markMalformed(instance: string, error: MalformedApplication): void {
    if (error.appName) {
      this.remove(instance, error.appNamespace ?? '', error.appName);
    }
    let entries = this.#malformed.get(instance);
    if (!entries) {
      entries = new Map();
      this.#malformed.set(instance, entries);
    }
    entries.set(keyOf(error.appNamespace ?? '', error.appName ?? ''), {
      instance,
      namespace: error.appNamespace,
      name: error.appName,
      labels: error.labels,
      message: error.message,
    });
  }

  clearMalformed(instance: string, namespace?: string): void {
    const entries = this.#malformed.get(instance);
    for (const [key, entry] of entries ?? []) {
      if (!namespace || entry.namespace === namespace) {
        entries!.delete(key);
      }
    }
  }

  malformed(): MalformedEntry[] {
    return [...this.#malformed.values()].flatMap(m => [...m.values()]);
  }

  get(instance: string, namespace: string, name: string) {
    return this.#apps.get(instance)?.get(keyOf(namespace, name));
  }

  /** Every Application, or those of one instance. */
  list(instance?: string): StoredApplication[] {
    const instances = instance ? [instance] : [...this.#apps.keys()];
    return instances.flatMap(i =>
      [...(this.#apps.get(i)?.values() ?? [])].map(
        app => this.#entries.get(app)!,
      ),
    );
  }

  /** Applications carrying a label value, when the label is indexed; else undefined. */
  byLabel(key: string, value: string): StoredApplication[] | undefined {
    if (!this.indexedLabels.includes(key)) {
      return undefined;
    }
    return [...(this.#labelIndex.get(`${key}=${value}`) ?? [])];
  }

  byName(name: string): StoredApplication[] {
    return [...(this.#nameIndex.get(name) ?? [])];
  }

  size(): number {
    let size = 0;
    for (const apps of this.#apps.values()) size += apps.size;
    return size;
  }

  #instanceApps(instance: string) {
    let apps = this.#apps.get(instance);
    if (!apps) {
      apps = new Map();
      this.#apps.set(instance, apps);
    }
    return apps;
  }

  #index(instance: string, app: SlimApplication) {
    const entry = { instance, app };
    this.#entries.set(app, entry);
    for (const label of this.indexedLabels) {
      const value = app.metadata.labels[label];
      if (value !== undefined) {
        addTo(this.#labelIndex, `${label}=${value}`, entry);
      }
    }
    addTo(this.#nameIndex, app.metadata.name, entry);
  }

  #unindex(app: SlimApplication) {
    const entry = this.#entries.get(app);
    if (!entry) return;
    this.#entries.delete(app);
    for (const label of this.indexedLabels) {
      const value = app.metadata.labels[label];
      if (value !== undefined) {
        removeFrom(this.#labelIndex, `${label}=${value}`, entry);
      }
    }
    removeFrom(this.#nameIndex, app.metadata.name, entry);
  }

  #emit(change: ApplicationChange) {
    for (const listener of this.#listeners) {
      listener(change);
    }
  }
}

function addTo<T>(index: Map<string, Set<T>>, key: string, value: T) {
  let set = index.get(key);
  if (!set) {
    set = new Set();
    index.set(key, set);
  }
  set.add(value);
}

function removeFrom<T>(index: Map<string, Set<T>>, key: string, value: T) {
  const set = index.get(key);
  set?.delete(value);
  if (set?.size === 0) index.delete(key);
}
