/*
 * One replica of the portal's backend, as production runs several behind a load balancer: the
 * GitOps plugin, signals, the events backend (whose bus, on PostgreSQL, carries events between
 * replicas) and auth with the guest provider, so a test can sign in. Started as its own Node
 * process by `startReplicas`, with `--config <file>`; the catalog is the example entities in
 * memory, so the replicas need no catalog processing.
 */
import { createBackend } from '@backstage/backend-defaults';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import fs from 'node:fs';
import yaml from 'yaml';

const entitiesFile = process.env.GITOPS_REPLICA_ENTITIES;
if (!entitiesFile) {
  throw new Error(
    'GITOPS_REPLICA_ENTITIES must name the catalog entities file',
  );
}
const entities = yaml
  .parseAllDocuments(fs.readFileSync(entitiesFile, 'utf8'))
  .map(doc => doc.toJS() as Entity)
  .filter(Boolean);

const backend = createBackend();
backend.add(
  createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => new InMemoryCatalogClient({ entities }),
  }),
);
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
// the plugin under test, as the portal's backend adds it
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
backend.add(import('@backstage-gitops/plugin-gitops-backend'));
backend.start();
