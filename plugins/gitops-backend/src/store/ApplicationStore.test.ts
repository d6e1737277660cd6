import { fullApplication } from '../__testUtils__/applications';
import {
  MalformedApplicationError,
  projectApplication,
} from '../sources/projectApplication';
import { ApplicationStore } from './ApplicationStore';

const app = (name: string, resourceVersion = '1') =>
  projectApplication(
    fullApplication({
      name,
      service: 'checkout-api',
      cluster: 'dev-1',
      version: '1.0.0',
      resourceVersion,
    }),
  );

const malformed = (name: string) =>
  new MalformedApplicationError(
    `Application argocd/${name} is malformed: status.summary.images is not a list`,
    'argocd',
    name,
    { 'app.kubernetes.io/name': 'checkout-api' },
  );

describe('ApplicationStore', () => {
  it('indexes Applications by label and name, and drops them from the indexes on removal', () => {
    const store = new ApplicationStore(['app.kubernetes.io/name']);
    store.upsert('core', app('checkout-api-dev-1'));
    store.upsert('edge', app('checkout-api-prod-us-1'));

    expect(
      store
        .byLabel('app.kubernetes.io/name', 'checkout-api')
        ?.map(e => e.instance),
    ).toEqual(['core', 'edge']);
    expect(store.byLabel('not/indexed', 'x')).toBeUndefined();

    store.remove('core', 'argocd', 'checkout-api-dev-1');
    expect(store.byName('checkout-api-dev-1')).toEqual([]);
    expect(store.size()).toBe(1);
  });

  it('replaces a valid Application by its malformed entry, and back when it is fixed', () => {
    const store = new ApplicationStore([]);
    store.upsert('core', app('checkout-api-dev-1'));

    store.markMalformed('core', malformed('checkout-api-dev-1'));
    expect(store.get('core', 'argocd', 'checkout-api-dev-1')).toBeUndefined();
    expect(store.malformed()).toEqual([
      expect.objectContaining({ instance: 'core', name: 'checkout-api-dev-1' }),
    ]);

    store.upsert('core', app('checkout-api-dev-1', '2'));
    expect(store.malformed()).toEqual([]);
    expect(store.get('core', 'argocd', 'checkout-api-dev-1')).toBeDefined();
  });

  it('forgets a malformed Application once it is deleted', () => {
    const store = new ApplicationStore([]);
    store.markMalformed('core', malformed('checkout-api-dev-1'));

    store.remove('core', 'argocd', 'checkout-api-dev-1');

    expect(store.malformed()).toEqual([]);
  });

  it('tells listeners only of changed projections, not of resourceVersion-only updates or identical re-lists', () => {
    const store = new ApplicationStore([]);
    const changes: string[] = [];
    store.onChange(c => changes.push(c.after?.metadata.resourceVersion ?? '-'));
    const version = (resourceVersion: string, v: string) =>
      projectApplication(
        fullApplication({
          name: 'checkout-api-dev-1',
          service: 'checkout-api',
          cluster: 'dev-1',
          version: v,
          resourceVersion,
        }),
      );

    store.upsert('core', version('1', '1.0.0'));
    store.upsert('core', version('2', '1.0.0'));
    store.replaceAll('core', [version('3', '1.0.0')]);
    expect(changes).toEqual(['1']);
    // the stored Application still carries the newest resourceVersion
    expect(
      store.get('core', 'argocd', 'checkout-api-dev-1')?.metadata
        .resourceVersion,
    ).toBe('3');

    store.upsert('core', version('4', '1.1.0'));
    store.replaceAll('core', []);
    expect(changes).toEqual(['1', '4', '-']);
  });
});
