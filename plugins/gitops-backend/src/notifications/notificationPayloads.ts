import { parseEntityRef } from '@backstage/catalog-model';
import { TrackedPromotion } from '@backstage-gitops/plugin-gitops-common';
import { entityTabUrl } from '@backstage-gitops/plugin-gitops-node';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';

/** What a notification says (`payload` of the notification service). */
export type NotificationSendOptionsPayload = NotificationSendOptions['payload'];

/** Where an Application lands and who it is, for the texts. */
export interface NotifiedApplication {
  instance: string;
  namespace: string;
  name: string;
  environment: string;
  environmentTitle: string;
  cluster: string;
}

const describe = (app: NotifiedApplication) =>
  `Application ${app.namespace}/${app.name} (Argo CD instance ${app.instance})`;

function entityName(entityRef: string) {
  return parseEntityRef(entityRef).name;
}

/** A drift that lasted longer than the environment's `driftAfter`. */
export function driftPayload(options: {
  entityRef: string;
  app: NotifiedApplication;
  since: number;
  appBaseUrl?: string;
}): NotificationSendOptionsPayload {
  const { entityRef, app, since } = options;
  const minutes = Math.max(1, Math.round((Date.now() - since) / 60_000));
  return {
    title: `${entityName(entityRef)} drifted in ${app.environmentTitle} (${
      app.cluster
    })`,
    description: `${describe(app)} has differed from Git for ${minutes} minute${
      minutes === 1 ? '' : 's'
    }, since ${new Date(since).toISOString()}: sync it or bring Git in line.`,
    link: entityTabUrl(options.appBaseUrl, parseEntityRef(entityRef)),
    severity: 'high',
    topic: 'gitops:drift',
    scope: `gitops:drift:${entityRef}:${app.instance}/${app.namespace}/${app.name}`,
  };
}

/** A sync that failed, once until the Application syncs again. */
export function syncFailedPayload(options: {
  entityRef: string;
  app: NotifiedApplication;
  message: string;
  appBaseUrl?: string;
}): NotificationSendOptionsPayload {
  const { entityRef, app, message } = options;
  return {
    title: `Sync of ${entityName(entityRef)} failed in ${
      app.environmentTitle
    } (${app.cluster})`,
    description: `${describe(app)}: ${message}`,
    link: entityTabUrl(options.appBaseUrl, parseEntityRef(entityRef)),
    severity: 'high',
    topic: 'gitops:sync-failed',
    scope: `gitops:sync-failed:${entityRef}:${app.instance}/${app.namespace}/${app.name}`,
  };
}

/** A promotion deployed, or failed after the merge. */
export function promotionPayload(options: {
  promotion: TrackedPromotion;
  environmentTitle: string;
  appBaseUrl?: string;
}): NotificationSendOptionsPayload {
  const { promotion: p, environmentTitle } = options;
  const name = entityName(p.entityRef);
  const deployed = p.stage === 'deployed';
  const pr = `pull request #${p.pullRequest.number}`;
  return {
    title: deployed
      ? `${name} ${p.version} deployed to ${environmentTitle}`
      : `Promotion of ${name} ${p.version} to ${environmentTitle} failed`,
    description: deployed
      ? `Every cluster of ${environmentTitle} runs ${p.version}, Synced and Healthy (${pr}).`
      : `After ${pr} was merged: ${p.failure ?? 'a target turned Degraded'}.`,
    link: entityTabUrl(options.appBaseUrl, parseEntityRef(p.entityRef)),
    severity: deployed ? 'normal' : 'high',
    topic: 'gitops:promotion',
    scope: `gitops:promotion:${p.id}`,
  };
}
