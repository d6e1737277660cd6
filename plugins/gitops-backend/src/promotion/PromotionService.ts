import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
  isError,
} from '@backstage/errors';
import { Request } from 'express';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ANNOTATION_GITHUB_PROJECT_SLUG,
  gitopsEntityPromotePermission,
  PromotionPlan,
  PromotionRecord,
  PromotionResult,
  SourceError,
} from '@backstage-gitops/plugin-gitops-common';
import {
  executePromotion,
  GitopsRepoClientFactory,
  VersionLocators,
  KeyedLock,
  planPromotion,
  PromotionConfig,
  PromotionContext,
} from '@backstage-gitops/plugin-gitops-node';
import { randomUUID } from 'node:crypto';
import { PromotionAuditor } from '../audit/PromotionAuditor';
import { PromotionAuditStore } from '../audit/PromotionAuditStore';
import { refreshPullRequestStates } from '../audit/refreshPullRequestStates';
import { GitopsStateService } from '../state/GitopsStateService';
import { PromotionTracker } from '../tracking/PromotionTracker';
import { PullRequestReader } from '../tracking/PullRequestReader';
import { PromotionOwnership } from './ownership';
import { parsePromotionRequest } from './promotionRequestSchema';

/** Options of {@link PromotionService}. */
export interface PromotionServiceOptions {
  catalog: CatalogService;
  permissions: PermissionsService;
  state: Pick<GitopsStateService, 'getState' | 'getHistory'>;
  github: GitopsRepoClientFactory;
  /** Where versions live; defaults to the built-in locators. */
  locators?: VersionLocators;
  config: PromotionConfig;
  /** The table of real attempts that an entity's history lists. */
  audit: PromotionAuditStore;
  /** Audits every attempt, dry run and denial (Backstage's auditor service and `audit`). */
  auditor: PromotionAuditor;
  /** Reads the pull requests of the promotions list from GitHub, bounded and cached. */
  pullRequests: PullRequestReader;
  /** Follows every opened or updated pull request to deployed. */
  tracker?: Pick<PromotionTracker, 'track'>;
  /** Who may promote what beyond the permission: users only, the owner Group's repository. */
  ownership: PromotionOwnership;
  /**
   * Why no promotion can be made at all (see `promotionUnavailableReason`): every attempt is then
   * refused and audited as a denial. Undefined when promotions may be made.
   */
  unavailable: string | undefined;
  logger: LoggerService;
  clock?: () => Date;
}

/**
 * The one path every front door (REST route, MCP action, and through the route the scaffolder
 * action) takes: validation, the entity from the catalog, the promote permission, plan, gates,
 * execution, and an audit of every attempt (see {@link PromotionAuditor}).
 */
export class PromotionService {
  readonly #options: PromotionServiceOptions;
  readonly #locks = new KeyedLock();

  constructor(options: PromotionServiceOptions) {
    this.#options = options;
  }

  /**
   * Plans and, unless it is a dry run, executes a promotion. A denied permission is a
   * `NotAllowedError` before anything is read from Git. A dry run answers with the plan even when
   * another gate fails (outcome `blocked`), so a dialog can show why; otherwise a failed gate is a
   * `ConflictError`. Every attempt past validation and the catalog lookup is audited; `request`
   * is the HTTP request it came with, if any, for the auditor service.
   */
  async promote(
    body: unknown,
    options: { credentials: BackstageCredentials; request?: Request },
  ): Promise<PromotionResult> {
    const request = parsePromotionRequest(body);
    const { catalog, permissions, auditor, ownership } = this.#options;
    ownership.requireUser(options.credentials);
    const entity = await catalog.getEntityByRef(request.entityRef, {
      credentials: options.credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity ${request.entityRef} in the catalog`);
    }
    const entityRef = stringifyEntityRef(entity);
    const [decision] = await permissions.authorize(
      [{ permission: gitopsEntityPromotePermission, resourceRef: entityRef }],
      { credentials: options.credentials },
    );
    const context: PromotionContext = {
      actor: actorOf(options.credentials),
      permitted: decision.result === AuthorizeResult.ALLOW,
      owner: entity.spec?.owner ? ownerRef(entity) : undefined,
      ownerTeamSlug: this.#options.config.requestOwnerReview
        ? await this.ownerTeamSlug(entity, options.credentials)
        : undefined,
      projectSlug:
        entity.metadata.annotations?.[ANNOTATION_GITHUB_PROJECT_SLUG],
    };
    const deps = {
      state: {
        getEntityState: async () => {
          const state = await this.#options.state.getState(entity);
          ownership.checkState(state);
          return state;
        },
        getEnvironmentHistory: (_ref: string, environment: string) =>
          this.#options.state.getHistory(entity, environment),
      },
      github: this.#options.github,
      locators: this.#options.locators,
      config: this.#options.config,
      clock: this.#options.clock,
      logger: this.#options.logger,
      locks: this.#locks,
    };
    const started = (this.#options.clock ?? (() => new Date()))();
    const base = {
      entityRef,
      actor: context.actor,
      from: request.from,
      to: request.to,
      version: request.version,
      targets: request.targets ?? [],
      dryRun: request.dryRun,
      createdAt: started.toISOString(),
    };
    const http = options.request;

    const refusal =
      this.#options.unavailable ??
      (context.permitted
        ? undefined
        : `${context.actor} may not promote ${entityRef}: only its owners and the release owners may (permission ${gitopsEntityPromotePermission.name})`);
    if (refusal) {
      await auditor.denied(base, refusal, http);
      throw new NotAllowedError(refusal);
    }
    const audited = await auditor.attempt(base, http);

    let plan: PromotionPlan | undefined;
    let result: PromotionResult;
    try {
      plan = await planPromotion({ ...request, entityRef }, context, deps);
      await ownership.checkPlan(plan, entity, options.credentials);
      result = request.dryRun
        ? dryRunResult(plan)
        : await executePromotion(plan, context, deps);
    } catch (error) {
      await audited.threw(
        {
          ...base,
          id: randomUUID(),
          version: plan?.version ?? request.version,
          targets: plan?.targets ?? base.targets,
          gates: plan?.gates ?? [],
          pullRequests: [],
          outcome: 'failed',
          message: isError(error)
            ? `${error.name}: ${error.message}`
            : String(error),
          rollback: plan?.rollback,
        },
        isError(error) ? error : new Error(String(error)),
      );
      throw error;
    }

    const record: PromotionRecord = {
      ...base,
      id: result.id,
      version: plan.version,
      targets: plan.targets,
      gates: plan.gates,
      pullRequests: result.pullRequests,
      outcome: result.outcome,
      message: result.message,
      rollback: plan.rollback,
    };
    await audited.finished(record);
    if (!request.dryRun) {
      this.#options.tracker?.track(record, entity);
    }
    if (!request.dryRun && result.outcome === 'blocked') {
      throw new ConflictError(result.message);
    }
    return result;
  }

  /**
   * An entity's promotion attempts, newest first, with the states of their pull requests read
   * again from GitHub where they were open (bounded and cached, see `PullRequestReader`). Pull
   * requests that could not be read keep their stored state and are reported in `errors`.
   */
  async list(
    entityRef: string,
    limit: number,
  ): Promise<{ items: PromotionRecord[]; errors: SourceError[] }> {
    const items = await this.#options.audit.list(entityRef, { limit });
    return refreshPullRequestStates({
      entityRef,
      items,
      reader: this.#options.pullRequests,
      audit: this.#options.audit,
      logger: this.#options.logger,
    });
  }

  private async ownerTeamSlug(
    entity: Entity,
    credentials: BackstageCredentials,
  ): Promise<string | undefined> {
    const owner = await this.#options.catalog
      .getEntityByRef(ownerRef(entity), { credentials })
      .catch(() => undefined);
    const slug = owner?.metadata.annotations?.['github.com/team-slug'];
    return slug?.split('/').pop();
  }
}

function dryRunResult(plan: PromotionPlan): PromotionResult {
  const failed = plan.gates.filter(g => !g.passed);
  let message = `Would promote ${plan.version} to ${
    plan.to
  } (${plan.targets.join(', ')})`;
  if (failed.length > 0) {
    message = `Blocked: ${failed.map(g => g.message).join('; ')}`;
  } else if (plan.noop) {
    message = `${plan.to} already has ${plan.version}; nothing to change`;
  }
  return {
    id: randomUUID(),
    outcome: failed.length > 0 ? 'blocked' : 'dry-run',
    message,
    plan,
    pullRequests: [],
    superseded: [],
  };
}

function ownerRef(entity: Entity): string {
  return stringifyEntityRef(
    parseEntityRef(String(entity.spec?.owner), {
      defaultKind: 'group',
      defaultNamespace: entity.metadata.namespace ?? 'default',
    }),
  );
}

function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service' && principal.subject) {
    return principal.subject;
  }
  return principal.type;
}
