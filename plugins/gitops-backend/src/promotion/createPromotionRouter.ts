import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import express from 'express';
import Router from 'express-promise-router';
import { loadAuthorizedEntity } from '../service/authorizeEntity';
import { PromotionService } from './PromotionService';

/** Options of {@link createPromotionRouter}. */
export interface PromotionRouterOptions {
  promotions: PromotionService;
  catalog: CatalogService;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
}

/**
 * `POST /v1/promotions` (plan, or plan and open the pull request) and
 * `GET /v1/promotions?entityRef=` (the entity's audit, newest first, as `{ items, errors }`:
 * pull request states are refreshed from GitHub, and reads that failed are in `errors`).
 */
export function createPromotionRouter(
  options: PromotionRouterOptions,
): express.Router {
  const { promotions, catalog, permissions, httpAuth } = options;
  const router = Router();

  router.post('/v1/promotions', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const result = await promotions.promote(req.body, {
      credentials,
      request: req,
    });
    res.status(result.outcome === 'opened' ? 201 : 200).json(result);
  });

  router.get('/v1/promotions', async (req, res) => {
    const { entityRef, limit } = req.query;
    if (typeof entityRef !== 'string' || !entityRef) {
      throw new InputError(
        'Query parameter entityRef is required, e.g. ?entityRef=component:default/checkout-api',
      );
    }
    const max = limit === undefined ? 50 : Number(limit);
    if (!Number.isInteger(max) || max < 1 || max > 200) {
      throw new InputError(
        'Query parameter limit must be an integer from 1 to 200',
      );
    }
    const entity = await loadAuthorizedEntity({
      entityRef,
      credentials: await httpAuth.credentials(req),
      catalog,
      permissions,
    });
    res.json(await promotions.list(stringifyEntityRef(entity), max));
  });

  return router;
}
