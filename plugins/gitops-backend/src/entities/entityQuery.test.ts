import { Entity } from '@backstage/catalog-model';
import { fullApplication } from '../__testUtils__/applications';
import { projectApplication } from '../sources/projectApplication';
import { ApplicationStore } from '../store/ApplicationStore';
import {
  findEntityApplications,
  INDEXED_LABELS,
  readEntityQuery,
} from './entityQuery';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'intruder', namespace: 'default', annotations },
    spec: { owner: 'group:default/team-new' },
  };
}

describe('readEntityQuery', () => {
  it.each([
    [{ 'argocd/app-selector': ' ' }, 'argocd/app-selector', /blank/],
    [{ 'argocd/app-selector': '!x' }, 'argocd/app-selector', /names no label/],
    [
      { 'argocd/app-selector': 'app.kubernetes.io/name' },
      'argocd/app-selector',
      /names no label value.*add an equality requirement/,
    ],
    [
      { 'argocd/app-selector': 'team notin (web)' },
      'argocd/app-selector',
      /names no label/,
    ],
    [{ 'argocd/app-name': '  ' }, 'argocd/app-name', /blank/],
    [
      { 'backstage.io/kubernetes-id': ' ' },
      'backstage.io/kubernetes-id',
      /blank/,
    ],
  ])(
    'refuses the catch-all %j as a config error, with no query',
    (annotations, annotation, message) => {
      const read = readEntityQuery(entity(annotations), []);
      expect(read.configured).toBe(true);
      expect(read.query).toBeUndefined();
      expect(read.errors).toEqual([
        {
          source: `annotation:${annotation}`,
          kind: 'config',
          message: expect.stringMatching(message),
        },
      ]);
      expect(read.errors[0].message).toContain(
        `(annotation ${annotation} of component:default/intruder)`,
      );
    },
  );

  it('reads a selector with an equality requirement', () => {
    const read = readEntityQuery(
      entity({ 'argocd/app-selector': 'app.kubernetes.io/name in (web),!x' }),
      [],
    );
    expect(read.errors).toEqual([]);
    expect(read.query?.requirements).toHaveLength(2);
  });
});

describe('findEntityApplications', () => {
  const store = new ApplicationStore(INDEXED_LABELS);
  for (let i = 0; i < 5; i++) {
    store.upsert(
      'core',
      projectApplication(
        fullApplication({
          name: `web-${i}`,
          service: 'web',
          cluster: 'dev-1',
          version: '1.0.0',
        }),
      ),
    );
  }
  const query = readEntityQuery(
    entity({ 'argocd/app-selector': 'app.kubernetes.io/name=web' }),
    [],
  ).query!;

  it('gives the Applications up to the cap', () => {
    const found = findEntityApplications(store, query, 5);
    expect(found.error).toBeUndefined();
    expect(found.applications).toHaveLength(5);
  });

  it('gives none and a config error beyond the cap', () => {
    const found = findEntityApplications(store, query, 4);
    expect(found.applications).toEqual([]);
    expect(found.error).toEqual({
      source: 'annotation:selection',
      kind: 'config',
      message: expect.stringContaining(
        'select 5 Applications, more than the 4 one entity may have (gitops.maxApplicationsPerEntity)',
      ),
    });
  });
});
