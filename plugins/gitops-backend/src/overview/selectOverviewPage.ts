import { InputError } from '@backstage/errors';
import {
  OverviewEnvironment,
  OverviewQuery,
  OverviewSort,
} from '@backstage-gitops/plugin-gitops-common';
import { IndexedRow } from './overviewRow';
import { DEFAULT_OVERVIEW_LIMIT } from './overviewQuery';

/** What the filters need to know of the caller. */
export interface OverviewViewer {
  /** Whether the caller may read the row's entity (`gitops.entity.read`). */
  mayRead(row: IndexedRow): boolean;
  /** The caller's ownership entity refs, lower case, for `ownedByMe`. */
  ownershipRefs: Set<string>;
}

/** One page of rows matching a query, in its order. */
export interface SelectedPage {
  rows: IndexedRow[];
  totalItems: number;
  nextCursor?: string;
}

type SortKey = { k: number | string; r: string };

/** Filters (AND), sorts and pages the rows. */
export function selectOverviewPage(
  rows: Iterable<IndexedRow>,
  query: OverviewQuery,
  viewer: OverviewViewer,
): SelectedPage {
  const sort = query.sort ?? 'name';
  const after = query.cursor ? readCursor(query.cursor, sort) : undefined;
  const limit = query.limit ?? DEFAULT_OVERVIEW_LIMIT;
  const keep = filterOf(query, viewer);
  const matching: Array<{ row: IndexedRow; key: SortKey }> = [];
  for (const row of rows) {
    if (keep(row)) {
      matching.push({ row, key: sortKey(row, sort, query.environment) });
    }
  }
  matching.sort((a, b) => compare(a.key, b.key));
  let start = 0;
  if (after) {
    // the first row after the cursor's: stable when rows before it come or go
    while (start < matching.length && compare(matching[start].key, after) <= 0)
      start++;
  }
  const page = matching.slice(start, start + limit);
  const last = page[page.length - 1];
  return {
    rows: page.map(m => m.row),
    totalItems: matching.length,
    nextCursor:
      start + limit < matching.length && last
        ? writeCursor(sort, last.key)
        : undefined,
  };
}

function filterOf(query: OverviewQuery, viewer: OverviewViewer) {
  const owners = query.owner?.length ? new Set(query.owner) : undefined;
  const systems = query.system?.length ? new Set(query.system) : undefined;
  const text = query.q?.trim().toLocaleLowerCase('en-US');
  const { environment } = query;
  const columns = (row: IndexedRow) =>
    environment
      ? row.row.environments.filter(e => e.name === environment)
      : row.row.environments;
  return (row: IndexedRow): boolean => {
    const { owner, system } = row.row;
    if (query.ownedByMe && !(owner && viewer.ownershipRefs.has(owner))) {
      return false;
    }
    if (owners && !(owner && owners.has(owner))) return false;
    if (systems && !(system && systems.has(system))) return false;
    if (text && !row.search.includes(text)) return false;
    if (query.drifted && !columns(row).some(isDrifted)) return false;
    if (query.failing && !columns(row).some(e => e.failing)) return false;
    if (
      query.ready &&
      !row.row.ready.some(r => !environment || r.to === environment)
    ) {
      return false;
    }
    // last: with a conditional decision it is the dearest check
    return viewer.mayRead(row);
  };
}

function isDrifted(env: OverviewEnvironment): boolean {
  return env.driftedResources > 0 || env.sync === 'OutOfSync';
}

function sortKey(
  row: IndexedRow,
  sort: OverviewSort,
  environment: string | undefined,
): SortKey {
  const r = row.row.entityRef;
  const columns = environment
    ? row.row.environments.filter(e => e.name === environment)
    : row.row.environments;
  switch (sort) {
    case 'drifted-longest': {
      // oldest drift first; rows without drift last
      let since = Number.MAX_SAFE_INTEGER;
      for (const e of columns) {
        if (e.driftedSince) since = Math.min(since, Date.parse(e.driftedSince));
      }
      return { k: since, r };
    }
    case 'lag': {
      let behind = 0;
      for (const e of columns) {
        const lag = e.lag?.behind ? e.lag.versionsBehind ?? 1 : 0;
        behind = Math.max(behind, lag);
      }
      return { k: -behind, r };
    }
    case 'updated':
      return { k: -(row.updatedMs || 0), r };
    default:
      return { k: row.name, r };
  }
}

function compare(a: SortKey, b: SortKey): number {
  if (a.k !== b.k) {
    if (typeof a.k === 'number' && typeof b.k === 'number') return a.k - b.k;
    return String(a.k) < String(b.k) ? -1 : 1;
  }
  if (a.r === b.r) return 0;
  return a.r < b.r ? -1 : 1;
}

function writeCursor(sort: OverviewSort, key: SortKey): string {
  return Buffer.from(JSON.stringify({ s: sort, ...key })).toString('base64url');
}

function readCursor(cursor: string, sort: OverviewSort): SortKey {
  let parsed: any;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const valid =
    parsed &&
    typeof parsed.r === 'string' &&
    (typeof parsed.k === 'string' || typeof parsed.k === 'number');
  if (!valid) {
    throw new InputError(
      "Query parameter cursor is invalid; allowed: the previous page's nextCursor, unchanged",
    );
  }
  if (parsed.s !== sort) {
    throw new InputError(
      `Query parameter cursor was made for sort=${parsed.s}, not sort=${sort}; keep the sort while paging or start again without a cursor`,
    );
  }
  return { k: parsed.k, r: parsed.r };
}
