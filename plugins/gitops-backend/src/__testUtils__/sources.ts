import { ApplicationSource } from '../sources/types';

/** A healthy Kubernetes source of instance `core` whose Applications `getApplication` reads. */
export function coreSource(
  getApplication: ApplicationSource['getApplication'],
): ApplicationSource {
  return {
    instance: 'core',
    start: async () => {},
    stop: async () => {},
    status: () => ({
      instance: 'core',
      type: 'kubernetes',
      state: 'ok',
      errors: [],
      restarts: 0,
    }),
    getApplication,
  };
}
