import { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import { redactUserinfo } from '@backstage-gitops/plugin-gitops-node';

/** Options of {@link createRouter}. */
export interface RouterOptions {
  logger: LoggerService;
  /** Sub-routers of the plugin's capabilities (state, promotions, ...), mounted in order. */
  routers?: express.Router[];
}

/** The plugin's router: the health route plus the routers of each capability. */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const router = Router();
  router.use(express.json());

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  for (const sub of options.routers ?? []) {
    router.use(sub);
  }

  // credentials of a repoURL (or any URL) in an error never reach the client or the logs
  router.use(
    (
      error: unknown,
      _req: express.Request,
      _res: express.Response,
      next: express.NextFunction,
    ) => {
      if (error instanceof Error) {
        error.message = redactUserinfo(error.message);
      }
      next(error);
    },
  );

  return router;
}
