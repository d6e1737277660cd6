import { Entity } from '@backstage/catalog-model';
import { fullApplication } from '../__testUtils__/applications';
import { projectApplication } from '../sources/projectApplication';
import { ApplicationStore } from '../store/ApplicationStore';
import {
  findEntityApplications,
  INDEXED_LABELS,
  matchesQuery,
  readEntityQuery,
  readsFromInstance,
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

  it('refuses argocd/app-name and argocd/app-selector together, saying to keep one', () => {
    const read = readEntityQuery(
      entity({
        'argocd/app-name': 'checkout-api-prod',
        'argocd/app-selector': 'app.kubernetes.io/name=checkout-api',
      }),
      [],
    );
    expect(read.configured).toBe(true);
    expect(read.query).toBeUndefined();
    expect(read.errors).toEqual([
      {
        source: 'annotation:argocd/app-selector',
        kind: 'config',
        message:
          'Both argocd/app-name and argocd/app-selector are set on component:default/intruder; keep one of the two: argocd/app-name names one Application, argocd/app-selector selects them by label',
      },
    ]);
  });

  it('reads a selector with an equality requirement', () => {
    const read = readEntityQuery(
      entity({ 'argocd/app-selector': 'app.kubernetes.io/name in (web),!x' }),
      [],
    );
    expect(read.errors).toEqual([]);
    expect(read.query?.requirements).toHaveLength(2);
  });

  it('reads argocd/instance-name as a comma list of configured instances', () => {
    const read = readEntityQuery(
      entity({
        'argocd/app-name': 'web',
        'argocd/instance-name': ' argo-1, argo-2,,argo-1 ',
      }),
      ['argo-1', 'argo-2', 'argo-3'],
    );
    expect(read.errors).toEqual([]);
    expect(read.query?.instances).toEqual(['argo-1', 'argo-2']);
    expect(readsFromInstance(read.query!, 'argo-2')).toBe(true);
    expect(readsFromInstance(read.query!, 'argo-3')).toBe(false);
  });

  it('reads every instance when argocd/instance-name is absent or blank', () => {
    for (const annotations of [
      { 'argocd/app-name': 'web' } as Record<string, string>,
      { 'argocd/app-name': 'web', 'argocd/instance-name': ' , ' },
    ]) {
      const read = readEntityQuery(entity(annotations), ['argo-1']);
      expect(read.query?.instances).toBeUndefined();
      expect(readsFromInstance(read.query!, 'argo-1')).toBe(true);
    }
  });

  it('refuses a comma list naming unconfigured instances, naming each of them', () => {
    const read = readEntityQuery(
      entity({
        'argocd/app-name': 'web',
        'argocd/instance-name': 'argo-1,https://evil.example.com,argo-9',
      }),
      ['argo-1', 'argo-2'],
    );
    expect(read.query).toBeUndefined();
    expect(read.errors).toEqual(
      ['https://evil.example.com', 'argo-9'].map(instance => ({
        source: 'annotation:argocd/instance-name',
        instance,
        kind: 'config',
        message: `Instance ${instance} named by annotation argocd/instance-name is not configured under gitops.instances (configured: argo-1, argo-2)`,
      })),
    );
  });
});

describe('matchesQuery', () => {
  const app = { name: 'web', labels: {} };

  it('matches an Application of any instance the comma list names', () => {
    const query = readEntityQuery(
      entity({ 'argocd/app-name': 'web', 'argocd/instance-name': 'a,b' }),
      ['a', 'b', 'c'],
    ).query!;
    expect(['a', 'b', 'c'].map(i => matchesQuery(query, i, app))).toEqual([
      true,
      true,
      false,
    ]);
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
