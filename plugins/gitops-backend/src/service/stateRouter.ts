import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityGitopsState,
  EntityReadiness,
} from '@backstage-gitops/plugin-gitops-common';
import express from 'express';
import Router from 'express-promise-router';
import { GitopsStateService } from '../state/GitopsStateService';
import { loadAuthorizedEntity } from './authorizeEntity';
import { ReadinessService } from '../readiness/ReadinessService';

/** Options of {@link createStateRouter}. */
export interface StateRouterOptions {
  state: GitopsStateService;
  catalog: CatalogService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
  /** Why no promotion can be made, answered with every state (`promotionUnavailable`). */
  promotionUnavailable: string | undefined;
  /** Serves the readiness route (`GET /v1/readiness/...`); without it the route answers none. */
  readiness?: Pick<ReadinessService, 'readiness'>;
}

/**
 * `GET /v1/state/:kind/:namespace/:name`, `GET /v1/readiness/:kind/:namespace/:name` and
 * `GET /v1/history/:kind/:namespace/:name`.
 */
export function createStateRouter(options: StateRouterOptions): express.Router {
  const {
    state,
    catalog,
    permissions,
    httpAuth,
    promotionUnavailable,
    readiness,
  } = options;
  const router = Router();

  const load = async (req: express.Request) =>
    loadAuthorizedEntity({
      entityRef: stringifyEntityRef({
        kind: req.params.kind,
        namespace: req.params.namespace,
        name: req.params.name,
      }),
      credentials: await httpAuth.credentials(req),
      catalog,
      permissions,
    });

  router.get('/v1/state/:kind/:namespace/:name', async (req, res) => {
    const entity = await load(req);
    const body: EntityGitopsState = await state.getState(entity);
    res.json(promotionUnavailable ? { ...body, promotionUnavailable } : body);
  });

  // apart from the state: the checks parse values and manifests, which the live cells need not wait for
  router.get('/v1/readiness/:kind/:namespace/:name', async (req, res) => {
    const entity = await load(req);
    const current = await state.getState(entity, { remember: false });
    // from the caches at once; reads still missing fill them for the next request
    const environments =
      (await readiness?.readiness(entity, current, { waitMs: 0 })) ?? [];
    const body: EntityReadiness = {
      entityRef: current.entityRef,
      environments,
    };
    res.json(body);
  });

  router.get('/v1/history/:kind/:namespace/:name', async (req, res) => {
    // the entity first: an unknown entity is a 404 whatever the query
    const entity = await load(req);
    const environment = req.query.environment;
    if (typeof environment !== 'string' || !environment) {
      throw new InputError(
        'Query parameter environment is required, e.g. ?environment=prod',
      );
    }
    res.json(await state.getHistory(entity, environment));
  });

  return router;
}
