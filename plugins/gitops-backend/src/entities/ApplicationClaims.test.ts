import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { fullApplication } from '../__testUtils__/applications';
import { testGitopsConfig } from '../__testUtils__/gitopsConfig';
import { DesiredVersionReader } from '../git/DesiredVersionReader';
import { projectApplication } from '../sources/projectApplication';
import { ApplicationStore } from '../store/ApplicationStore';
import { GitopsStateService } from '../state/GitopsStateService';
import { ApplicationClaims } from './ApplicationClaims';
import { INDEXED_LABELS } from './entityQuery';

function component(
  name: string,
  owner: string,
  annotations: Record<string, string> = {
    'argocd/app-selector': 'app.kubernetes.io/name=storefront-web',
  },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { owner, type: 'service', lifecycle: 'production' },
  };
}

const web = component('storefront-web', 'group:default/team-web');
// the audit's attack: a new entity of another team annotated with the web team's selector
const intruder = component('intruder', 'team-new');
// a second entity of the same owner (e.g. a System view of the service) is no conflict
const webDocs = component('storefront-docs', 'group:default/team-web');
const checkout = component('checkout-api', 'group:default/payments', {
  'backstage.io/kubernetes-id': 'checkout-api',
});

const config = testGitopsConfig({
  topology: {
    environments: [{ name: 'dev', title: 'Development', clusters: ['dev-1'] }],
    clusters: [{ name: 'dev-1' }],
  },
  instances: [
    {
      name: 'core',
      type: 'kubernetes',
      url: 'https://core.example',
      timeoutMs: 10_000,
    },
  ],
});

function setup(entities: Entity[]) {
  const store = new ApplicationStore(INDEXED_LABELS);
  for (const service of ['storefront-web', 'checkout-api']) {
    store.upsert(
      'core',
      projectApplication(
        fullApplication({
          name: `${service}-dev`,
          service,
          cluster: 'dev-1',
          version: '1.0.0',
        }),
      ),
    );
  }
  const catalog = catalogServiceMock({ entities });
  const getEntities = jest.spyOn(catalog, 'getEntities');
  const claims = new ApplicationClaims({
    catalog,
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    instances: ['core'],
  });
  const state = new GitopsStateService({
    config,
    store,
    sources: [],
    versions: {
      cached: () => ({}),
      desiredVersion: async () => ({}),
    } as unknown as DesiredVersionReader,
    logger: mockServices.logger.mock(),
    claims,
  });
  return { state, getEntities };
}

describe('ApplicationClaims', () => {
  it('flags an Application selected by entities of different owners on both entities', async () => {
    const { state } = setup([web, intruder, webDocs, checkout]);

    const webState = await state.getState(web);
    const intruderState = await state.getState(intruder);

    expect(webState.errors).toEqual([
      {
        source: 'claim:core/argocd/storefront-web-dev',
        instance: 'core',
        kind: 'config',
        message:
          "Application storefront-web-dev is also selected by component:default/intruder (owner group:default/team-new), while component:default/storefront-web is owned by group:default/team-web; an Application claimed by entities of different owners is promotable from none of them until all but one owner's entities stop selecting it",
      },
    ]);
    expect(intruderState.errors).toEqual([
      expect.objectContaining({
        source: 'claim:core/argocd/storefront-web-dev',
        message: expect.stringMatching(
          /^Application storefront-web-dev is also selected by component:default\/storefront-web \(owner group:default\/team-web\), component:default\/storefront-docs \(owner group:default\/team-web\), while component:default\/intruder is owned by group:default\/team-new;/,
        ),
      }),
    ]);
    // the Application stays visible, flagged
    expect(webState.environments[0].clusters[0].application?.name).toBe(
      'storefront-web-dev',
    );
  });

  it('does not flag entities of one owner, nor other Applications', async () => {
    const { state } = setup([web, webDocs, checkout]);
    expect((await state.getState(web)).errors).toEqual([]);
    expect((await state.getState(webDocs)).errors).toEqual([]);
    expect((await state.getState(checkout)).errors).toEqual([]);
  });

  it('reads the catalog once per refresh interval, only the fields it needs', async () => {
    const { state, getEntities } = setup([web, intruder]);
    await state.getState(web);
    await state.getState(intruder);
    expect(getEntities).toHaveBeenCalledTimes(1);
    expect(getEntities.mock.calls[0][0]?.fields).toEqual([
      'kind',
      'metadata.name',
      'metadata.namespace',
      'metadata.title',
      'metadata.annotations',
      'spec.owner',
      'spec.system',
    ]);
  });

  it('reports, rather than hides, a catalog it cannot read', async () => {
    const { state, getEntities } = setup([web]);
    getEntities.mockRejectedValueOnce(new Error('catalog down'));
    expect((await state.getState(web)).errors).toEqual([
      {
        source: 'catalog',
        kind: 'unknown',
        message:
          "Could not read the catalog to check that no other team's entity selects these Applications: Error: catalog down",
      },
    ]);
  });
});
