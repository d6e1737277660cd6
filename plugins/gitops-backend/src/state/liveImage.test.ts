import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { fullApplication } from '../__testUtils__/applications';
import { applyListFields } from '../__testUtils__/argoCdFields';
import { testGitopsConfig } from '../__testUtils__/gitopsConfig';
import {
  DesiredVersion,
  DesiredVersionReader,
} from '../git/DesiredVersionReader';
import { APPLICATION_LIST_FIELDS } from '../sources/argocd/ArgoCdApplicationSource';
import { projectApplication } from '../sources/projectApplication';
import { ApplicationStore } from '../store/ApplicationStore';
import { GitopsStateService } from './GitopsStateService';

/** Service `payments`, whose image is ghcr.io/acme/pay-svc, beside an Istio sidecar. */
function paymentsApplication() {
  const raw = fullApplication({
    name: 'payments-prod-us-1',
    service: 'payments',
    cluster: 'prod-us-1',
    environment: 'prod',
    version: '2.3.1',
  });
  raw.status.summary.images = [
    'docker.io/istio/proxyv2:1.22.3',
    'ghcr.io/acme/pay-svc:2.3.1',
  ];
  return raw;
}

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments' },
  },
  spec: {},
};

async function liveCell(app: unknown, desired: DesiredVersion) {
  const config = testGitopsConfig({
    topology: {
      environments: [
        { name: 'prod', title: 'Production', clusters: ['prod-us-1'] },
      ],
      clusters: [
        { name: 'prod-us-1', server: 'https://prod-us-1.k8s.example.com' },
      ],
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
  const store = new ApplicationStore(['backstage.io/kubernetes-id']);
  store.upsert(config.instances[0].name, projectApplication(app));
  const state = await new GitopsStateService({
    config,
    store,
    sources: [],
    versions: {
      cached: () => desired,
      desiredVersion: async () => desired,
      describe: () => undefined,
    } as Partial<DesiredVersionReader> as DesiredVersionReader,
    logger: mockServices.logger.mock(),
  }).getState(entity);
  const cells = state.environments
    .flatMap(e => e.clusters)
    .filter(c => c.application);
  expect(cells).toHaveLength(1);
  return cells[0];
}

const fromValues: DesiredVersion = {
  version: '2.3.1',
  imageRepository: 'ghcr.io/acme/pay-svc',
};

describe('the live image chosen by the repository the desired side read', () => {
  it('from the Kubernetes informer (the whole Application)', async () => {
    const cell = await liveCell(paymentsApplication(), fromValues);
    expect(cell.liveVersion).toBe('2.3.1');
    expect(cell.skew).toBe(false);
  });

  it('from the Argo CD REST list (its fields only)', async () => {
    const cell = await liveCell(
      applyListFields(paymentsApplication(), APPLICATION_LIST_FIELDS),
      fromValues,
    );
    expect(cell.liveVersion).toBe('2.3.1');
  });

  it('is unknown, naming the service, without the repository', async () => {
    const cell = await liveCell(paymentsApplication(), { version: '2.3.1' });
    expect(cell.liveVersion).toBeUndefined();
    expect(cell.liveVersionReason).toMatch(
      /^no live image is named payments \(live: docker.io\/istio\/proxyv2:1.22.3, ghcr.io\/acme\/pay-svc:2.3.1\)/,
    );
  });

  it('says the repository it looked for when no live image is of it nor named after the service', async () => {
    const cell = await liveCell(paymentsApplication(), {
      version: '2.3.1',
      imageRepository: 'ghcr.io/acme/payments-api',
    });
    expect(cell.liveVersionReason).toBe(
      'no live image is of ghcr.io/acme/payments-api (live: docker.io/istio/proxyv2:1.22.3, ghcr.io/acme/pay-svc:2.3.1)',
    );
  });
});
