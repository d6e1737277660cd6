import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  EntityGitopsState,
  PromotionRequest,
} from '@backstage-gitops/plugin-gitops-common';
// the plugin under test, as the portal's backend adds it
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import gitopsPlugin from '@backstage-gitops/plugin-gitops-backend';
import request from 'supertest';
import { CorpusWorld } from './corpusWorld';

/** The real GitOps backend reading every instance through one path. */
export interface CorpusBackend {
  path: 'kubernetes' | 'argocd';
  /** The state route for an entity ref, e.g. `component:default/checkout-api`. */
  getState(entityRef: string): Promise<EntityGitopsState>;
  promote(
    body: PromotionRequest,
  ): Promise<{ status: number; body: Record<string, any> }>;
  stop(): Promise<void>;
}

/** Starts the GitOps backend plugin with the corpus topology read as `type`. */
export async function startCorpusBackend(
  world: CorpusWorld,
  type: 'kubernetes' | 'argocd',
  entities: Entity[],
): Promise<CorpusBackend> {
  const api = new URL(world.sandbox.urls.githubApi);
  const backend = await startTestBackend({
    features: [
      gitopsPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          permission: { enabled: true },
          integrations: {
            github: [
              {
                host: api.host,
                apiBaseUrl: world.sandbox.urls.githubApi,
                token: world.sandbox.tokens.github,
              },
            ],
          },
          gitops: world.gitopsConfig(type),
        },
      }),
      catalogServiceMock.factory({ entities }),
      mockServices.permissions.factory({ result: AuthorizeResult.ALLOW }),
    ],
  });
  const auth = mockCredentials.user.header('user:default/jane');
  return {
    path: type,
    async getState(ref) {
      const { kind, namespace, name } = parseEntityRef(ref);
      const res = await request(backend.server)
        .get(`/api/gitops/v1/state/${kind}/${namespace}/${name}`)
        .set('Authorization', auth);
      if (res.status !== 200) {
        throw new Error(`state of ${ref}: HTTP ${res.status} ${res.text}`);
      }
      return res.body;
    },
    async promote(body) {
      const res = await request(backend.server)
        .post('/api/gitops/v1/promotions')
        .set('Authorization', auth)
        .send(body);
      return { status: res.status, body: res.body };
    },
    stop: () => backend.stop(),
  };
}
