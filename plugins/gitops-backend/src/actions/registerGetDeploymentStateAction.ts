import { PermissionsService } from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GitopsStateService } from '../state/GitopsStateService';
import { loadAuthorizedEntity } from '../service/authorizeEntity';
import { ReadinessService } from '../readiness/ReadinessService';

/**
 * Registers the `get-deployment-state` action: an entity's deployment state per environment and
 * cluster, for MCP clients and other action callers. Same permission check as the REST route.
 */
export function registerGetDeploymentStateAction(options: {
  actionsRegistry: ActionsRegistryService;
  state: GitopsStateService;
  catalog: CatalogService;
  permissions: PermissionsService;
  /** Adds the readiness checks per environment to the state. */
  readiness?: Pick<ReadinessService, 'readiness'>;
}) {
  const { actionsRegistry, state, catalog, permissions, readiness } = options;
  actionsRegistry.register({
    name: 'get-deployment-state',
    title: 'Get deployment state',
    description:
      'Returns what version of a catalog entity (a service) runs in each environment and cluster, ' +
      'whether it is synced and healthy, what Git says it should run, drift between Git and the ' +
      'cluster, version skew, how far each environment lags the previous one, and readiness ' +
      'checks per environment (pass, fail or unknown with a reason). Sources that ' +
      'could not be read are listed in errors.',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe('Entity reference, e.g. component:default/checkout-api'),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          status: z.enum(['ok', 'not-configured']),
          environments: z
            .array(z.object({}).passthrough())
            .describe(
              'Environments in promotion order, each with its clusters',
            ),
          errors: z.array(z.object({}).passthrough()),
          updatedAt: z.string(),
          readiness: z
            .array(z.object({}).passthrough())
            .optional()
            .describe(
              'Per environment: the readiness checks, each with result, reason, severity and how to fix',
            ),
        }),
    },
    examples: [
      {
        title: 'State of a service',
        input: { entityRef: 'component:default/checkout-api' },
      },
    ],
    action: async ({ input, credentials }) => {
      const entity = await loadAuthorizedEntity({
        entityRef: input.entityRef,
        credentials,
        catalog,
        permissions,
      });
      const result = await state.getState(entity);
      result.readiness = await readiness?.readiness(entity, result);
      return { output: result as any };
    },
  });
}
