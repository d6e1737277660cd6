import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  placeApplication,
  TrackedPromotion,
} from '@backstage-gitops/plugin-gitops-common';
import { GitopsConfig } from '@backstage-gitops/plugin-gitops-node';
import { ApplicationClaims } from '../entities/ApplicationClaims';
import {
  ApplicationEpisodes,
  ApplicationKey,
  EpisodeEvent,
} from '../episodes/ApplicationEpisodes';
import { SlimApplication } from '../sources/types';
import { ApplicationStore } from '../store/ApplicationStore';
import {
  driftPayload,
  NotificationSendOptionsPayload,
  NotifiedApplication,
  promotionPayload,
  syncFailedPayload,
} from './notificationPayloads';

const FAILED_PHASES = new Set(['Failed', 'Error']);

/** Options of {@link GitopsNotifier}. */
export interface GitopsNotifierOptions {
  notifications: NotificationService;
  episodes: Pick<ApplicationEpisodes, 'onEvent' | 'since'>;
  store: Pick<ApplicationStore, 'get' | 'onChange'>;
  /** Which entities an Application belongs to, and their owners. */
  claims: Pick<ApplicationClaims, 'claimantsOf' | 'ownerOf'>;
  config: Pick<
    GitopsConfig,
    'topology' | 'environmentLabel' | 'instances' | 'notifications'
  > & { promotion: Pick<GitopsConfig['promotion'], 'appBaseUrl'> };
  logger: LoggerService;
}

function keyOf(key: ApplicationKey) {
  return `${key.instance}\u0000${key.namespace}\u0000${key.name}`;
}

/**
 * Notifies the owning groups of the entities an Application belongs to, one notification per
 * episode: production drift that lasted longer than the environment's `driftAfter` (a timer from
 * the drift's start, cancelled when it ends), a sync failure (once until the Application's
 * operation no longer fails), and a promotion deployed or failed (once per promotion and stage).
 * Each notification has a scope per Application (or promotion), so a re-send after a restart
 * updates the earlier notification instead of adding one.
 */
export class GitopsNotifier {
  readonly #options: GitopsNotifierOptions;
  readonly #driftTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Applications whose failed sync was notified, until their operation stops failing. */
  readonly #failureNotified = new Set<string>();
  /** Promotions notified, as `id:stage`. */
  readonly #promotionsNotified = new Set<string>();
  readonly #unsubscribe: Array<() => void> = [];

  constructor(options: GitopsNotifierOptions) {
    this.#options = options;
  }

  /** Listens to the episodes; a no-op when `gitops.notifications.enabled` is false. */
  start(): void {
    if (!this.#options.config.notifications.enabled) return;
    this.#unsubscribe.push(
      this.#options.episodes.onEvent(event => this.#onEpisode(event)),
      this.#options.store.onChange(({ instance, after, before }) => {
        const app = after ?? before!;
        const phase = after?.operation?.phase ?? after?.operationPhase;
        if (!phase || !FAILED_PHASES.has(phase)) {
          this.#failureNotified.delete(
            keyOf({
              instance,
              namespace: app.metadata.namespace,
              name: app.metadata.name,
            }),
          );
        }
      }),
    );
  }

  stop(): void {
    this.#unsubscribe.splice(0).forEach(unsubscribe => unsubscribe());
    this.#driftTimers.forEach(timer => clearTimeout(timer));
    this.#driftTimers.clear();
  }

  /** Notifies a promotion's owners when it reached `deployed` or `failed`; once per stage. */
  async notifyPromotion(promotion: TrackedPromotion): Promise<void> {
    const { config, claims, logger } = this.#options;
    if (!config.notifications.enabled) return;
    if (promotion.stage !== 'deployed' && promotion.stage !== 'failed') return;
    if (!config.notifications.environments[promotion.to]?.promotions) return;
    const id = `${promotion.id}:${promotion.stage}`;
    if (this.#promotionsNotified.has(id)) return;
    this.#promotionsNotified.add(id);
    try {
      const owner = await claims.ownerOf(promotion.entityRef);
      if (!owner) {
        logger.debug(
          `No notification of promotion ${promotion.id}: ${promotion.entityRef} has no owner`,
        );
        return;
      }
      await this.#send(
        owner,
        promotionPayload({
          promotion,
          environmentTitle: this.#environmentTitle(promotion.to),
          appBaseUrl: config.promotion.appBaseUrl,
        }),
      );
    } catch (error) {
      logger.warn(`Could not notify promotion ${promotion.id}: ${error}`);
    }
  }

  #onEpisode(event: EpisodeEvent) {
    if (event.type === 'sync-failed') {
      const key = keyOf(event.failure);
      const app = this.#place(event.failure);
      if (!app || this.#failureNotified.has(key)) return;
      if (!this.#environment(app.environment)?.syncFailures) return;
      this.#failureNotified.add(key);
      this.#notifyOwners(event.failure, entityRef =>
        syncFailedPayload({
          entityRef,
          app,
          message: event.failure.message,
          appBaseUrl: this.#options.config.promotion.appBaseUrl,
        }),
      );
      return;
    }
    if (event.kind !== 'drift') return;
    const key = keyOf(event.key);
    if (event.type === 'ended') {
      clearTimeout(this.#driftTimers.get(key));
      this.#driftTimers.delete(key);
      return;
    }
    const app = this.#place(event.key);
    const driftAfterMs = app
      ? this.#environment(app.environment)?.driftAfterMs
      : undefined;
    if (!app || driftAfterMs === undefined) return;
    const delay = Math.max(0, event.since + driftAfterMs - Date.now());
    const timer = setTimeout(() => {
      this.#driftTimers.delete(key);
      if (this.#options.episodes.since('drift', event.key) !== event.since) {
        return;
      }
      this.#notifyOwners(event.key, entityRef =>
        driftPayload({
          entityRef,
          app,
          since: event.since,
          appBaseUrl: this.#options.config.promotion.appBaseUrl,
        }),
      );
    }, delay);
    timer.unref?.();
    clearTimeout(this.#driftTimers.get(key));
    this.#driftTimers.set(key, timer);
  }

  #notifyOwners(
    key: ApplicationKey,
    payload: (entityRef: string) => NotificationSendOptionsPayload,
  ) {
    const { store, claims, logger } = this.#options;
    const app = store.get(key.instance, key.namespace, key.name);
    if (!app) return;
    const describe = `${key.instance}/${key.namespace}/${key.name}`;
    claims
      .claimantsOf(key.instance, app)
      .then(async claimants => {
        const owned = claimants.filter(c => c.owner);
        if (owned.length === 0) {
          logger.debug(
            `No notification for Application ${describe}: no entity with an owner selects it`,
          );
        }
        for (const { entityRef, owner } of owned) {
          await this.#send(owner!, payload(entityRef));
        }
      })
      .catch(error =>
        logger.warn(`Could not notify for Application ${describe}: ${error}`),
      );
  }

  async #send(owner: string, payload: NotificationSendOptionsPayload) {
    await this.#options.notifications.send({
      recipients: { type: 'entity', entityRef: owner },
      payload,
    });
  }

  #place(key: ApplicationKey): NotifiedApplication | undefined {
    const { store, config } = this.#options;
    const app: SlimApplication | undefined = store.get(
      key.instance,
      key.namespace,
      key.name,
    );
    if (!app) return undefined;
    const placement = placeApplication(
      { destination: app.destination, labels: app.metadata.labels },
      config.topology,
      {
        environmentLabel: config.environmentLabel,
        instanceClusters: config.instances.find(i => i.name === key.instance)
          ?.clusters,
      },
    ).placement;
    if (!placement) return undefined;
    return {
      ...key,
      ...placement,
      environmentTitle: this.#environmentTitle(placement.environment),
    };
  }

  #environment(name: string) {
    return this.#options.config.notifications.environments[name];
  }

  #environmentTitle(name: string) {
    return (
      this.#options.config.topology.environments.find(e => e.name === name)
        ?.title ?? name
    );
  }
}
