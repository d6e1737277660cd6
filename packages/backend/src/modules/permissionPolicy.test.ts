import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  gitopsControlPlaneReadPermission,
  gitopsEntityPromotePermission,
  gitopsEntityReadPermission,
} from '@backstage-gitops/plugin-gitops-common';
import { GitopsExamplePolicy, PLATFORM_TEAM } from './permissionPolicy';

function user(ref: string, groups: string[] = []): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: ref,
      ownershipEntityRefs: [ref, ...groups],
    },
    info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
    credentials: {} as PolicyQueryUser['credentials'],
    token: 'token',
  } as PolicyQueryUser;
}

const policy = new GitopsExamplePolicy();

describe('GitopsExamplePolicy', () => {
  it("lets an entity's owners and the release owners promote, as conditions the catalog evaluates", async () => {
    const decision = await policy.handle(
      { permission: gitopsEntityPromotePermission },
      user('user:default/jane', ['group:default/payments']),
    );
    const claims = ['user:default/jane', 'group:default/payments'];
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          {
            rule: 'IS_ENTITY_OWNER',
            resourceType: 'catalog-entity',
            params: { claims },
          },
          {
            rule: 'IS_GITOPS_RELEASE_OWNER',
            resourceType: 'catalog-entity',
            params: { claims },
          },
        ],
      },
    });
  });

  it('gives no claims, and so no entity, to a caller without identity', async () => {
    const decision = await policy.handle({
      permission: gitopsEntityPromotePermission,
    });
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      conditions: {
        anyOf: [{ params: { claims: [] } }, { params: { claims: [] } }],
      },
    });
  });

  it('allows other permissions, such as reading deployment state', async () => {
    for (const permission of [
      gitopsEntityReadPermission,
      createPermission({
        name: 'catalog.entity.read',
        attributes: { action: 'read' },
      }),
    ]) {
      expect(
        await policy.handle({ permission }, user('user:default/jane')),
      ).toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('lets only members of the platform team read the control-plane health', async () => {
    const permission = gitopsControlPlaneReadPermission;
    expect(
      await policy.handle(
        { permission },
        user('user:default/pat', [PLATFORM_TEAM]),
      ),
    ).toEqual({ result: AuthorizeResult.ALLOW });
    expect(
      await policy.handle(
        { permission },
        user('user:default/jane', ['group:default/payments']),
      ),
    ).toEqual({ result: AuthorizeResult.DENY });
    expect(await policy.handle({ permission })).toEqual({
      result: AuthorizeResult.DENY,
    });
  });
});
