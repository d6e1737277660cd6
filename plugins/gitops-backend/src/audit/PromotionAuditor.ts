import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { PromotionRecord } from '@backstage-gitops/plugin-gitops-common';
import { Request } from 'express';
import { DenialRateLimiter } from './DenialRateLimiter';
import { PromotionAuditStore } from './PromotionAuditStore';

/** What is known of an attempt before it is planned. */
export type PromotionAttempt = Pick<
  PromotionRecord,
  'entityRef' | 'actor' | 'from' | 'to' | 'version' | 'targets' | 'dryRun'
>;

/** The end of one audited attempt: call exactly one of them. */
export interface AuditedAttempt {
  /** The attempt ended with a result (whatever its outcome). */
  finished(record: PromotionRecord): Promise<void>;
  /** The attempt threw `error`; `record` is what is known of it. */
  threw(record: PromotionRecord, error: Error): Promise<void>;
}

/** Options of {@link PromotionAuditor}. */
export interface PromotionAuditorOptions {
  auditor: AuditorService;
  store: PromotionAuditStore;
  logger: LoggerService;
  denials?: DenialRateLimiter;
}

/**
 * Where promotion attempts are audited. Real attempts (not dry runs) are rows of the audit table
 * that the entity's history shows; every attempt, dry run and denial is also an event of
 * Backstage's auditor service. Denials go to the auditor only, rate-limited per actor and entity,
 * so a denied user cannot push real attempts out of an entity's history or flood the audit log.
 */
export class PromotionAuditor {
  readonly #options: PromotionAuditorOptions;
  readonly #denials: DenialRateLimiter;

  constructor(options: PromotionAuditorOptions) {
    this.#options = options;
    this.#denials =
      options.denials ??
      new DenialRateLimiter({
        onForget: (key, suppressed) =>
          options.logger.warn(
            `${suppressed} denied promotion attempts (${key}) were not audited: rate limit`,
          ),
      });
  }

  /** A promotion the actor may not make: an auditor event, unless rate-limited. */
  async denied(
    attempt: PromotionAttempt,
    message: string,
    request?: Request,
  ): Promise<void> {
    const admitted = this.#denials.admit(attempt.actor, attempt.entityRef);
    if (!admitted) {
      return;
    }
    const event = await this.#emit(request, 'promote-denied', 'medium', {
      ...attemptMeta(attempt),
      suppressedBefore: admitted.suppressed,
    });
    await event?.fail({ error: new NotAllowedError(message) });
  }

  /** Starts the audit of a permitted attempt (an auditor event now, the outcome at the end). */
  async attempt(
    attempt: PromotionAttempt,
    request?: Request,
  ): Promise<AuditedAttempt> {
    const event = await this.#emit(
      request,
      'promote',
      attempt.dryRun ? 'low' : 'medium',
      attemptMeta(attempt),
    );
    const { store, logger } = this.#options;
    // a dry run is no attempt: it stays out of the table
    const keep = async (record: PromotionRecord) => {
      if (!record.dryRun) {
        await store.record(record);
      }
    };
    return {
      finished: async record => {
        await keep(record);
        const meta = outcomeMeta(record);
        await (record.outcome === 'blocked' || record.outcome === 'failed'
          ? event?.fail({ meta, error: new Error(record.message) })
          : event?.success({ meta }));
      },
      threw: async (record, error) => {
        await keep(record).catch(e =>
          logger.error(`Could not audit a promotion: ${e}`),
        );
        await event?.fail({ meta: outcomeMeta(record), error });
      },
    };
  }

  async #emit(
    request: Request | undefined,
    eventId: string,
    severityLevel: 'low' | 'medium',
    meta: Record<string, string | number | boolean | string[] | null>,
  ) {
    try {
      return await this.#options.auditor.createEvent({
        eventId,
        severityLevel,
        request,
        meta,
      });
    } catch (e) {
      // the auditor's own failure must not decide a promotion
      this.#options.logger.error(`Could not emit audit event ${eventId}: ${e}`);
      return undefined;
    }
  }
}

function attemptMeta(attempt: PromotionAttempt) {
  return {
    entityRef: attempt.entityRef,
    actor: attempt.actor,
    from: attempt.from,
    to: attempt.to,
    version: attempt.version ?? null,
    targets: attempt.targets,
    dryRun: attempt.dryRun ?? false,
  };
}

function outcomeMeta(record: PromotionRecord) {
  return {
    id: record.id,
    outcome: record.outcome,
    version: record.version ?? null,
    targets: record.targets,
    rollback: record.rollback ?? false,
    pullRequests: record.pullRequests.map(pull => pull.url),
    message: record.message,
  };
}
