import { redactUserinfo } from '@backstage-gitops/plugin-gitops-node';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  GateResult,
  PromotionDelivery,
  PromotionOutcome,
  PromotionPullRequest,
  PromotionRecord,
} from '@backstage-gitops/plugin-gitops-common';
import { Knex } from 'knex';

const TABLE = 'gitops_promotions';

interface Row {
  id: string;
  entity_ref: string;
  actor: string;
  from_environment: string;
  to_environment: string;
  version: string | null;
  targets: string;
  gates: string;
  pull_requests: string;
  outcome: string;
  message: string;
  dry_run: boolean | number;
  rollback: boolean | number;
  created_at: number | string;
  merged_at?: number | string | null;
  deployed_at?: number | string | null;
  failed_at?: number | string | null;
  delivery?: string | null;
  delivery_message?: string | null;
}

/** Attempts that can open or update a pull request. */
const OPENING = ['opened', 'updated'];

const time = (value: number | string | null | undefined) =>
  value === null || value === undefined
    ? undefined
    : new Date(Number(value)).toISOString();
const millis = (iso: string | undefined) =>
  iso === undefined ? undefined : Date.parse(iso);

/**
 * Stores every promotion attempt (who, from, to, version, targets, gate results, pull requests,
 * outcome) in the plugin's database: SQLite in development, PostgreSQL in production.
 */
export class PromotionAuditStore {
  static async create(database: DatabaseService): Promise<PromotionAuditStore> {
    const knex = await database.getClient();
    if (!database.migrations?.skip) {
      await knex.migrate.latest({
        directory: resolvePackagePath(
          '@backstage-gitops/plugin-gitops-backend',
          'migrations',
        ),
      });
    }
    return new PromotionAuditStore(knex);
  }

  constructor(private readonly knex: Knex) {}

  async record(record: PromotionRecord): Promise<void> {
    await this.knex<Row>(TABLE).insert({
      id: record.id,
      entity_ref: record.entityRef,
      actor: record.actor,
      from_environment: record.from,
      to_environment: record.to,
      version: record.version ?? null,
      targets: JSON.stringify(record.targets),
      gates: JSON.stringify(record.gates),
      pull_requests: JSON.stringify(record.pullRequests),
      outcome: record.outcome,
      message: redactUserinfo(record.message).slice(0, 4000),
      dry_run: record.dryRun ?? false,
      rollback: record.rollback ?? false,
      created_at: Date.parse(record.createdAt),
    });
  }

  /**
   * Sets the state of pull requests (by URL) in every attempt of the entity that still records
   * them as open; returns how many attempts changed.
   */
  async updatePullRequestStates(
    entityRef: string,
    states: Map<string, PromotionPullRequest['state']>,
  ): Promise<number> {
    if (states.size === 0) {
      return 0;
    }
    return this.knex.transaction(async tx => {
      const rows = await tx<Row>(TABLE)
        .where({ entity_ref: entityRef })
        .andWhere('pull_requests', 'like', '%"state":"open"%')
        .select('id', 'pull_requests');
      let updated = 0;
      for (const row of rows) {
        const pulls = JSON.parse(row.pull_requests) as PromotionPullRequest[];
        let changed = false;
        for (const pull of pulls) {
          const state = states.get(pull.url);
          if (pull.state === 'open' && state && state !== pull.state) {
            pull.state = state;
            changed = true;
          }
        }
        if (changed) {
          await tx<Row>(TABLE)
            .where({ id: row.id })
            .update({ pull_requests: JSON.stringify(pulls) });
          updated++;
        }
      }
      return updated;
    });
  }

  /**
   * The attempts whose pull requests a tracker follows, oldest first: those that opened or
   * updated a pull request still recorded as open, or merged with no recorded end of delivery
   * (at most `limit`, the newest), and those whose delivery ended since `finishedSince`.
   */
  async tracked(options: {
    finishedSince: Date;
    limit: number;
  }): Promise<PromotionRecord[]> {
    const since = options.finishedSince.getTime();
    const rows = await this.knex<Row>(TABLE)
      .whereIn('outcome', OPENING)
      .andWhere(where =>
        where
          .where(unfinished =>
            unfinished
              .whereNull('delivery')
              .andWhere(pulls =>
                pulls
                  .where('pull_requests', 'like', '%"state":"open"%')
                  .orWhere('pull_requests', 'like', '%"state":"merged"%'),
              ),
          )
          .orWhere('deployed_at', '>=', since)
          .orWhere('failed_at', '>=', since),
      )
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(toRecord).reverse();
  }

  /**
   * Records what became of an attempt's pull request: merge time, deploy or failure time and how
   * the delivery ended. Only the fields given are written.
   */
  async recordDelivery(id: string, delivery: PromotionDelivery): Promise<void> {
    const update: Partial<Row> = {};
    if (delivery.mergedAt) update.merged_at = millis(delivery.mergedAt);
    if (delivery.deployedAt) update.deployed_at = millis(delivery.deployedAt);
    if (delivery.failedAt) update.failed_at = millis(delivery.failedAt);
    if (delivery.outcome) update.delivery = delivery.outcome;
    if (delivery.failure) {
      update.delivery_message = redactUserinfo(delivery.failure).slice(0, 4000);
    }
    if (Object.keys(update).length > 0) {
      await this.knex<Row>(TABLE).where({ id }).update(update);
    }
  }

  /** An entity's attempts, newest first. */
  async list(
    entityRef: string,
    options: { limit: number },
  ): Promise<PromotionRecord[]> {
    const rows = await this.knex<Row>(TABLE)
      .where({ entity_ref: entityRef })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(options.limit);
    return rows.map(toRecord);
  }
}

function toRecord(row: Row): PromotionRecord {
  const delivery: PromotionDelivery = {
    outcome: (row.delivery ?? undefined) as PromotionDelivery['outcome'],
    mergedAt: time(row.merged_at),
    deployedAt: time(row.deployed_at),
    failedAt: time(row.failed_at),
    failure: row.delivery_message ?? undefined,
  };
  const known = Object.values(delivery).some(v => v !== undefined);
  return {
    id: row.id,
    entityRef: row.entity_ref,
    actor: row.actor,
    from: row.from_environment,
    to: row.to_environment,
    version: row.version ?? undefined,
    targets: JSON.parse(row.targets) as string[],
    gates: JSON.parse(row.gates) as GateResult[],
    pullRequests: JSON.parse(row.pull_requests) as PromotionPullRequest[],
    outcome: row.outcome as PromotionOutcome,
    message: row.message,
    dryRun: Boolean(row.dry_run),
    rollback: Boolean(row.rollback),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    ...(known && {
      delivery: Object.fromEntries(
        Object.entries(delivery).filter(([, v]) => v !== undefined),
      ),
    }),
  };
}
