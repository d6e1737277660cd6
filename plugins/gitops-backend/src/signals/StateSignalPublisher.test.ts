import { mockServices } from '@backstage/backend-test-utils';
import { emptyDrift } from '@backstage-gitops/plugin-gitops-common';
import { SlimApplication } from '../sources/types';
import { ApplicationStore } from '../store/ApplicationStore';
import { GitopsStateService } from '../state/GitopsStateService';
import { StateSignalPublisher } from './StateSignalPublisher';

function app(name: string, id: string, version: string): SlimApplication {
  return {
    metadata: {
      name,
      namespace: 'argocd',
      labels: { 'backstage.io/kubernetes-id': id },
      resourceVersion: version,
    },
    destination: { name: 'dev-1' },
    sources: [{ repoURL: 'https://github.com/acme/gitops.git' }],
    sync: 'Synced',
    health: 'Healthy',
    images: [],
    drift: emptyDrift(),
  };
}

describe('StateSignalPublisher', () => {
  it('signals, debounced, the recently requested entities an Application change affects', async () => {
    const store = new ApplicationStore(['backstage.io/kubernetes-id']);
    const recent = [
      {
        entityRef: 'component:default/api',
        query: {
          requirements: [
            {
              key: 'backstage.io/kubernetes-id',
              op: '=' as const,
              value: 'api',
            },
          ],
          serviceNames: ['api'],
        },
      },
      {
        entityRef: 'component:default/web',
        query: {
          requirements: [
            {
              key: 'backstage.io/kubernetes-id',
              op: '=' as const,
              value: 'web',
            },
          ],
          serviceNames: ['web'],
        },
      },
    ];
    const state = {
      recentEntities: () => recent,
    } as unknown as GitopsStateService;
    const signals = { publish: jest.fn().mockResolvedValue(undefined) };
    const publisher = new StateSignalPublisher({
      store,
      state,
      signals,
      logger: mockServices.logger.mock(),
      debounceMs: 20,
    });
    publisher.start();

    store.upsert('core', app('api-dev-1', 'api', '1'));
    store.upsert('core', app('api-dev-1', 'api', '2'));
    await new Promise(r => setTimeout(r, 60));

    expect(signals.publish).toHaveBeenCalledTimes(1);
    expect(signals.publish).toHaveBeenCalledWith({
      recipients: { type: 'broadcast' },
      channel: 'gitops:state:component:default/api',
      message: {
        entityRef: 'component:default/api',
        updatedAt: expect.any(String),
      },
    });
    publisher.stop();
  });

  it('publishes nothing when a modification or re-list leaves the projection as it was', async () => {
    const store = new ApplicationStore(['backstage.io/kubernetes-id']);
    const query = {
      requirements: [
        { key: 'backstage.io/kubernetes-id', op: '=' as const, value: 'api' },
      ],
      serviceNames: ['api'],
    };
    const state = {
      recentEntities: () => [{ entityRef: 'component:default/api', query }],
    } as unknown as GitopsStateService;
    const signals = { publish: jest.fn().mockResolvedValue(undefined) };
    const publisher = new StateSignalPublisher({
      store,
      state,
      signals,
      logger: mockServices.logger.mock(),
      debounceMs: 10,
    });
    publisher.start();
    const flushed = () => new Promise(r => setTimeout(r, 40));

    store.upsert('core', app('api-dev-1', 'api', '1'));
    await flushed();
    expect(signals.publish).toHaveBeenCalledTimes(1);

    store.upsert('core', app('api-dev-1', 'api', '2'));
    await flushed();
    store.replaceAll('core', [app('api-dev-1', 'api', '3')]);
    await flushed();
    expect(signals.publish).toHaveBeenCalledTimes(1);

    store.upsert('core', {
      ...app('api-dev-1', 'api', '4'),
      health: 'Degraded',
    });
    await flushed();
    expect(signals.publish).toHaveBeenCalledTimes(2);
    publisher.stop();
  });
});
