import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { fullApplication } from '../__testUtils__/applications';
import { testGitopsConfig } from '../__testUtils__/gitopsConfig';
import { DesiredVersionReader } from '../git/DesiredVersionReader';
import { RenderedVersionReader } from '../git/RenderedVersionReader';
import { projectApplication } from '../sources/projectApplication';
import { ApplicationStore } from '../store/ApplicationStore';
import { GitopsStateService } from './GitopsStateService';

const config = testGitopsConfig({
  topology: {
    environments: [{ name: 'dev', title: 'Development', clusters: ['dev-1'] }],
    clusters: [{ name: 'dev-1', server: 'https://dev-1.k8s.example.com' }],
  },
  instances: [
    {
      name: 'core',
      type: 'kubernetes',
      url: 'https://core.k8s.example.com',
      timeoutMs: 10_000,
    },
  ],
});

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'guestbook',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'guestbook' },
  },
  spec: {},
};

function application(sourceType: string) {
  const raw = fullApplication({
    name: 'guestbook-dev-1',
    service: 'guestbook',
    cluster: 'dev-1',
    version: 'v5',
  });
  raw.status.sourceType = sourceType;
  return raw;
}

async function cellOf(sourceType: string) {
  const store = new ApplicationStore(['backstage.io/kubernetes-id']);
  store.upsert('core', projectApplication(application(sourceType)));
  const rendered = {
    cached: jest.fn(() => undefined),
    desiredVersion: jest.fn(async () => ({
      version: 'v5',
      source: {
        repoUrl: 'https://github.example.com/acme/payments-gitops.git',
        path: 'apps/guestbook',
        ref: 'HEAD',
        locator: {
          type: 'rendered-manifests',
          parameters: { image: 'guestbook:v5', sourceType },
        },
      },
    })),
  };
  const state = await new GitopsStateService({
    config,
    store,
    sources: [],
    versions: {
      cached: () => undefined,
      desiredVersion: async () => ({
        reason: 'Argo CD renders apps/guestbook as a Plugin source',
      }),
      describe: () => 'image guestbook:v5 in the manifests Argo CD renders',
    } as Partial<DesiredVersionReader> as DesiredVersionReader,
    rendered:
      rendered as Partial<RenderedVersionReader> as RenderedVersionReader,
    logger: mockServices.logger.mock(),
  }).getState(entity);
  return { cell: state.environments[0].clusters[0], rendered };
}

describe('the desired version of a source Argo CD renders', () => {
  it('is read from the rendered manifests when Git gives none, and described', async () => {
    const { cell, rendered } = await cellOf('Plugin');
    expect(rendered.desiredVersion).toHaveBeenCalledWith(
      expect.objectContaining({
        instance: 'core',
        serviceNames: ['guestbook'],
      }),
    );
    expect(cell.desiredVersion).toBe('v5');
    expect(cell.desiredSource).toMatchObject({
      locator: { type: 'rendered-manifests' },
      description: 'image guestbook:v5 in the manifests Argo CD renders',
    });
  });

  it('is not asked for Helm or Kustomize sources', async () => {
    const { cell, rendered } = await cellOf('Helm');
    expect(rendered.desiredVersion).not.toHaveBeenCalled();
    expect(cell.desiredReason).toBe(
      'Argo CD renders apps/guestbook as a Plugin source',
    );
  });
});
