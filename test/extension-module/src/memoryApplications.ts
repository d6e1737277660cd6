import type {
  ApplicationSourceFactory,
  SlimApplication,
  SourceStatus,
} from '@backstage-gitops/plugin-gitops-node';

/**
 * Applications held in memory per instance, as a controller other than Argo CD would report
 * them; a test sets them and the sources of the instances pass every change to the store.
 */
export class MemoryApplications {
  readonly #apps = new Map<string, SlimApplication[]>();
  readonly #listeners = new Set<(instance: string) => void>();

  set(instance: string, apps: SlimApplication[]): void {
    this.#apps.set(instance, apps);
    this.#listeners.forEach(listener => listener(instance));
  }

  list(instance: string): SlimApplication[] {
    return this.#apps.get(instance) ?? [];
  }

  subscribe(listener: (instance: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The source of `gitops.instances` of type `memory`, read from `applications`. */
export function memorySourceFactory(
  applications: MemoryApplications,
): ApplicationSourceFactory {
  return {
    type: 'memory',
    create({ instance, store, onStatusChange }) {
      let unsubscribe: (() => void) | undefined;
      let state: SourceStatus['state'] = 'starting';
      let lastActivityAt: string | undefined;
      const sync = () => {
        store.replaceAll(instance.name, applications.list(instance.name));
        lastActivityAt = new Date().toISOString();
        state = 'ok';
        onStatusChange();
      };
      return {
        instance: instance.name,
        async start() {
          unsubscribe = applications.subscribe(name => {
            if (name === instance.name) sync();
          });
          sync();
        },
        async stop() {
          unsubscribe?.();
        },
        status: () => ({
          instance: instance.name,
          type: instance.type,
          state,
          errors: [],
          lastActivityAt,
          restarts: 0,
        }),
        async getApplication(namespace, name) {
          return applications
            .list(instance.name)
            .find(
              a =>
                a.metadata.namespace === namespace && a.metadata.name === name,
            );
        },
      };
    },
  };
}
