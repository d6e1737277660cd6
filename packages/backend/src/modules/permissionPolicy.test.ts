import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { gitopsEntityPromotePermission } from '@backstage-gitops/plugin-gitops-common';
import { GitopsExamplePolicy } from './permissionPolicy';

const user = (...ownershipEntityRefs: string[]) => ({
  identity: {
    type: 'user' as const,
    userEntityRef: 'user:default/someone',
    ownershipEntityRefs,
  },
  token: 'token',
  credentials: {} as any,
  info: { userEntityRef: 'user:default/someone', ownershipEntityRefs },
});

describe('GitopsExamplePolicy', () => {
  const policy = new GitopsExamplePolicy(
    new ConfigReader({
      gitops: {
        promotion: { releaseOwners: ['group:default/release-owners'] },
      },
    }),
  );

  it('allows promotion to members of the release-owners group', async () => {
    const decision = await policy.handle(
      { permission: gitopsEntityPromotePermission },
      user('user:default/carol', 'group:default/release-owners'),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('limits promotion by everyone else to the entities they own', async () => {
    const decision = await policy.handle(
      { permission: gitopsEntityPromotePermission },
      user('user:default/bob', 'group:default/team-web'),
    );
    expect(decision).toMatchObject({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        params: { claims: ['user:default/bob', 'group:default/team-web'] },
      },
    });
  });

  it('allows other permissions', async () => {
    const decision = await policy.handle(
      {
        permission: createPermission({
          name: 'catalog.entity.read',
          attributes: { action: 'read' },
        }),
      },
      user('user:default/dave'),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });
});
