import { redactUserinfo } from '@backstage-gitops/plugin-gitops-node';
import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  GateResult,
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
}

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
    return rows.map(row => ({
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
    }));
  }
}
