import { InputError } from '@backstage/errors';
import { OverviewQuery } from '@backstage-gitops/plugin-gitops-common';
import { z } from 'zod';

/** Rows per page unless `limit` says otherwise. */
export const DEFAULT_OVERVIEW_LIMIT = 50;
/** Most rows one page holds. */
export const MAX_OVERVIEW_LIMIT = 500;
const SORTS = ['name', 'drifted-longest', 'lag', 'updated'] as const;

const many = z
  .union([z.string(), z.array(z.string())])
  .transform(v => (Array.isArray(v) ? v : [v]).filter(Boolean));
const flag = z.enum(['true', 'false']).transform(v => v === 'true');

function schema(environments: string[]) {
  return z
    .object({
      ownedByMe: flag,
      owner: many,
      system: many,
      environment: environments.length
        ? z.enum(environments as [string, ...string[]])
        : z.never(),
      ready: flag,
      drifted: flag,
      failing: flag,
      q: z.string().max(200),
      sort: z.enum(SORTS),
      cursor: z.string().max(2000),
      limit: z.coerce.number().int().min(1).max(MAX_OVERVIEW_LIMIT),
    })
    .partial()
    .strict();
}

const ALLOWED: Record<string, (environments: string[]) => string> = {
  ownedByMe: () => 'true or false',
  ready: () => 'true or false',
  drifted: () => 'true or false',
  failing: () => 'true or false',
  owner: () => 'entity refs, e.g. group:default/payments (repeatable)',
  system: () => 'entity refs, e.g. system:default/storefront (repeatable)',
  environment: environments =>
    `one of the configured environments: ${environments.join(', ') || 'none'}`,
  q: () => 'text of at most 200 characters',
  sort: () => SORTS.join(', '),
  cursor: () => "the previous page's nextCursor",
  limit: () => `a whole number from 1 to ${MAX_OVERVIEW_LIMIT}`,
};

/**
 * Parses the query string of `GET /v1/overview`. A bad or unknown parameter is an `InputError`
 * naming it and the values it takes.
 */
export function parseOverviewQuery(
  query: unknown,
  environments: string[],
): OverviewQuery {
  const parsed = schema(environments).safeParse(query);
  if (parsed.success) {
    const { owner, system, ...rest } = parsed.data;
    return {
      ...rest,
      owner: owner?.map(lower),
      system: system?.map(lower),
    };
  }
  const issue = parsed.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    throw new InputError(
      `Unknown query parameter ${issue.keys.join(
        ', ',
      )}; the overview takes ${Object.keys(ALLOWED).join(', ')}`,
    );
  }
  const name = String(issue.path[0]);
  const allowed = ALLOWED[name]?.(environments) ?? issue.message;
  throw new InputError(
    `Query parameter ${name} is invalid (${issue.message}); allowed: ${allowed}`,
  );
}

function lower(ref: string) {
  return ref.toLocaleLowerCase('en-US');
}
