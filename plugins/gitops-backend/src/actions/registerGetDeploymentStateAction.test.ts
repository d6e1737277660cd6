import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { actionsRegistryServiceMock } from '@backstage/backend-test-utils/alpha';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  EntityGitopsState,
  gitopsEntityReadPermission,
} from '@backstage-gitops/plugin-gitops-common';
import { GitopsStateService } from '../state/GitopsStateService';
import { registerGetDeploymentStateAction } from './registerGetDeploymentStateAction';

const checkoutApi: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'checkout-api',
    namespace: 'default',
    annotations: { 'argocd/app-selector': 'app=checkout-api' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const stateOf = (entity: Entity): EntityGitopsState => ({
  entityRef: `component:default/${entity.metadata.name}`,
  status: 'ok',
  environments: [],
  errors: [],
  updatedAt: '2026-12-01T00:00:00.000Z',
});

function setup(result: AuthorizeResult.ALLOW | AuthorizeResult.DENY) {
  const registry = actionsRegistryServiceMock();
  const getState = jest.fn(async (entity: Entity) => stateOf(entity));
  const permissions = mockServices.permissions.mock({
    authorize: async requests => requests.map(() => ({ result })),
  });
  registerGetDeploymentStateAction({
    actionsRegistry: registry,
    state: { getState } as unknown as GitopsStateService,
    catalog: catalogServiceMock({ entities: [checkoutApi] }),
    permissions,
  });
  const invoke = (entityRef: string) =>
    registry.invoke({
      id: 'test:get-deployment-state',
      input: { entityRef },
      credentials: mockCredentials.user('user:default/jane'),
    });
  return { registry, getState, permissions, invoke };
}

describe('get-deployment-state action', () => {
  it('returns the state of an entity the caller may read, checked with gitops.entity.read', async () => {
    const { invoke, getState, permissions } = setup(AuthorizeResult.ALLOW);

    const { output } = await invoke('component:default/checkout-api');

    expect(output).toEqual(stateOf(checkoutApi));
    expect(getState).toHaveBeenCalledWith(
      expect.objectContaining({ metadata: checkoutApi.metadata }),
    );
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: gitopsEntityReadPermission,
          resourceRef: 'component:default/checkout-api',
        },
      ],
      expect.anything(),
    );
  });

  it('refuses a caller without the permission and reads nothing', async () => {
    const { invoke, getState } = setup(AuthorizeResult.DENY);
    await expect(
      invoke('component:default/checkout-api'),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'You may not read the deployment state of component:default/checkout-api (permission gitops.entity.read)',
    });
    expect(getState).not.toHaveBeenCalled();
  });

  it('answers not found for an entity the catalog does not have', async () => {
    const { invoke, getState } = setup(AuthorizeResult.ALLOW);
    await expect(
      invoke('component:default/no-such-service'),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
      message: 'No entity component:default/no-such-service in the catalog',
    });
    expect(getState).not.toHaveBeenCalled();
  });

  it.each(['checkout-api', 'component:', ':default/checkout-api'])(
    'refuses the malformed reference %j with what to write instead',
    async entityRef => {
      const { invoke, getState } = setup(AuthorizeResult.ALLOW);
      await expect(invoke(entityRef)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(
          /: write the entity as kind:namespace\/name, e\.g\. component:default\/checkout-api$/,
        ),
      });
      expect(getState).not.toHaveBeenCalled();
    },
  );

  it('is declared read-only', async () => {
    const { registry } = setup(AuthorizeResult.ALLOW);
    const { actions } = await registry.list();
    expect(
      actions.find(a => a.name === 'get-deployment-state')?.attributes,
    ).toEqual({ readOnly: true, idempotent: true, destructive: false });
  });
});
