import { LoggerService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';

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

  return router;
}
