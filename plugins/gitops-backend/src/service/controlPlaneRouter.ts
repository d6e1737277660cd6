import {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ControlPlaneHealth,
  gitopsControlPlaneReadPermission,
} from '@backstage-gitops/plugin-gitops-common';
import express from 'express';
import Router from 'express-promise-router';

/** Options of {@link createControlPlaneRouter}. */
export interface ControlPlaneRouterOptions {
  /** Computes the health from memory, on each request. */
  health: () => ControlPlaneHealth;
  permissions: PermissionsService;
  httpAuth: HttpAuthService;
}

/** `GET /v1/control-plane`, for callers granted `gitops.controlplane.read`. */
export function createControlPlaneRouter(
  options: ControlPlaneRouterOptions,
): express.Router {
  const { health, permissions, httpAuth } = options;
  const router = Router();
  router.get('/v1/control-plane', async (req, res) => {
    const [decision] = await permissions.authorize(
      [{ permission: gitopsControlPlaneReadPermission }],
      { credentials: await httpAuth.credentials(req) },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You may not read the control-plane health of the Argo CD instances (permission ${gitopsControlPlaneReadPermission.name}); ask for it in the permission policy, e.g. as a member of the platform team`,
      );
    }
    res.json(health());
  });
  return router;
}
