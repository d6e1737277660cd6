import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: production config adds a real provider; guest sign-in only in local development
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('./modules/guestSignIn'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// the release owners' condition (gitops.promotion.releaseOwners) of the permission policy
backend.add(import('@backstage-gitops/plugin-catalog-backend-module-gitops'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicy'));

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
// the events backend's bus (on PostgreSQL) carries signals between backend replicas
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// the GitOps suite
backend.add(import('@backstage-gitops/plugin-gitops-backend'));
backend.add(
  import('@backstage-gitops/plugin-scaffolder-backend-module-gitops'),
);

backend.start();
