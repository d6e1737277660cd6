import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  gitopsEntityPromotePermission,
  gitopsEntityReadPermission,
} from '@backstage-gitops/plugin-gitops-common';
import {
  AuthorizeResult,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionRule,
} from '@backstage/plugin-permission-node';
import { boundedCache } from '../cache/boundedCache';

/** A candidate row's entity, for permission decisions. */
export interface AccessCandidate {
  entityRef: string;
  entity: Entity;
}

/** The caller's rights on entities, decided once per request (or TTL). */
export interface OverviewRights {
  mayRead(candidate: AccessCandidate): boolean;
  mayPromote(candidate: AccessCandidate): boolean;
  /** No entity is readable at all (an unconditional deny). */
  deniedAll: boolean;
}

type CatalogRule = PermissionRule<Entity, unknown, 'catalog-entity'>;

type Decided =
  | { kind: 'fixed'; allowed: boolean }
  | { kind: 'conditional'; decision: PolicyDecision }
  | { kind: 'listed'; allowed: Set<string> };

interface Cached {
  read: Decided;
  promote: Decided;
  /** Entity refs the listed decisions cover. */
  covered?: Set<string>;
}

/** Options of {@link OverviewAccess}. */
export interface OverviewAccessOptions {
  permissions: PermissionsService;
  /**
   * Catalog entity rules this plugin can evaluate in memory. A conditional decision using any
   * other rule is decided by one batched `authorize` over every candidate.
   */
  rules: CatalogRule[];
  /** How long a principal's decisions are reused (paging). Defaults to 30 s. */
  ttlMs?: number;
  maxPrincipals?: number;
  clock?: () => number;
}

/**
 * Decides `gitops.entity.read` and `gitops.entity.promote` for every overview row without one
 * authorize call per row: one `authorizeConditional` for both permissions; conditions on rules
 * it knows are applied in memory to the entities, otherwise one batched `authorize` covers every
 * candidate. A principal's decisions are kept for a short time so paging does not repeat them.
 */
export class OverviewAccess {
  readonly #options: OverviewAccessOptions;
  readonly #rules: Map<string, CatalogRule>;
  readonly #authorizer;
  readonly #cache;

  constructor(options: OverviewAccessOptions) {
    this.#options = options;
    this.#rules = new Map(options.rules.map(r => [r.name, r]));
    this.#authorizer = createConditionAuthorizer<Entity>({
      getRuleByName: name => {
        const rule = this.#rules.get(name);
        if (!rule) throw new Error(`Unknown permission rule ${name}`);
        return rule as PermissionRule<Entity, unknown, string>;
      },
    });
    this.#cache = boundedCache<string, Cached>({
      maxEntries: options.maxPrincipals ?? 1000,
      ttlMs: options.ttlMs ?? 30_000,
      clock: options.clock,
    });
  }

  async rights(
    credentials: BackstageCredentials,
    candidates: AccessCandidate[],
  ): Promise<OverviewRights> {
    const principal = principalKey(credentials);
    let cached = principal ? this.#cache.cache.get(principal) : undefined;
    if (
      !cached ||
      (cached.covered &&
        candidates.some(c => !cached!.covered!.has(c.entityRef)))
    ) {
      cached = await this.#decide(credentials, candidates);
      if (principal) this.#cache.cache.set(principal, cached);
    }
    const { read, promote } = cached;
    return {
      mayRead: c => this.#allows(read, c),
      mayPromote: c => this.#allows(promote, c),
      deniedAll: read.kind === 'fixed' && !read.allowed,
    };
  }

  async #decide(
    credentials: BackstageCredentials,
    candidates: AccessCandidate[],
  ): Promise<Cached> {
    const { permissions } = this.#options;
    const [read, promote] = await permissions.authorizeConditional(
      [
        { permission: gitopsEntityReadPermission },
        { permission: gitopsEntityPromotePermission },
      ],
      { credentials },
    );
    const decided = [read, promote].map(d => this.#inMemory(d));
    const unknown = [gitopsEntityReadPermission, gitopsEntityPromotePermission]
      .map((permission, i) => ({ permission, decided: decided[i] }))
      .filter(p => !p.decided);
    if (unknown.length === 0) {
      return { read: decided[0]!, promote: decided[1]! };
    }
    // conditions on rules evaluated elsewhere: one batched call over every candidate
    const requests = unknown.flatMap(({ permission }) =>
      candidates.map(c => ({
        permission: permission as ResourcePermission<'catalog-entity'>,
        resourceRef: c.entityRef,
      })),
    );
    const answers = await permissions.authorize(requests, { credentials });
    const listed = unknown.map((_, i) => {
      const allowed = new Set<string>();
      candidates.forEach((c, j) => {
        if (answers[i * candidates.length + j].result === AuthorizeResult.ALLOW)
          allowed.add(c.entityRef);
      });
      return { kind: 'listed' as const, allowed };
    });
    let next = 0;
    const [readDecided, promoteDecided] = decided.map(d => d ?? listed[next++]);
    return {
      read: readDecided!,
      promote: promoteDecided!,
      covered: new Set(candidates.map(c => c.entityRef)),
    };
  }

  #inMemory(decision: PolicyDecision): Decided | undefined {
    if (decision.result === AuthorizeResult.ALLOW) {
      return { kind: 'fixed', allowed: true };
    }
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return { kind: 'fixed', allowed: false };
    }
    return rulesOf(decision.conditions).every(rule => this.#rules.has(rule))
      ? { kind: 'conditional', decision }
      : undefined;
  }

  #allows(decided: Decided, candidate: AccessCandidate): boolean {
    switch (decided.kind) {
      case 'fixed':
        return decided.allowed;
      case 'listed':
        return decided.allowed.has(candidate.entityRef);
      default:
        return this.#authorizer(decided.decision, candidate.entity);
    }
  }
}

function rulesOf(criteria: PermissionCriteria<PermissionCondition>): string[] {
  if ('allOf' in criteria) return criteria.allOf.flatMap(rulesOf);
  if ('anyOf' in criteria) return criteria.anyOf.flatMap(rulesOf);
  if ('not' in criteria) return rulesOf(criteria.not);
  return [criteria.rule];
}

function principalKey(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user') return `user:${principal.userEntityRef}`;
  if (principal.type === 'service') return `service:${principal.subject}`;
  return undefined;
}
