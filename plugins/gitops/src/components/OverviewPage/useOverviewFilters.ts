import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  OverviewQuery,
  OverviewSort,
} from '@backstage-gitops/plugin-gitops-common';

/** The page's tabs. */
export type OverviewTab = 'services' | 'ready';

/** Everything the user chose on the page; it lives in the URL so a view can be shared. */
export interface OverviewFilters {
  tab: OverviewTab;
  /** Absent until the user chooses: then the page decides (on when the user owns something). */
  ownedByMe?: boolean;
  owner: string[];
  system: string[];
  environment?: string;
  ready: boolean;
  drifted: boolean;
  failing: boolean;
  q: string;
  sort: OverviewSort;
  cursor?: string;
  limit: number;
}

export const OVERVIEW_SORTS: OverviewSort[] = [
  'name',
  'drifted-longest',
  'lag',
  'updated',
];
export const PAGE_SIZES = [25, 50, 100];
const DEFAULT_LIMIT = 50;

function parse(params: URLSearchParams): OverviewFilters {
  const flag = (key: string) => params.get(key) === 'true';
  const mine = params.get('mine');
  const sort = params.get('sort') as OverviewSort | null;
  const limit = Number(params.get('limit'));
  return {
    tab: params.get('tab') === 'ready' ? 'ready' : 'services',
    ownedByMe: mine === null ? undefined : mine === 'true',
    owner: params.getAll('owner'),
    system: params.getAll('system'),
    environment: params.get('environment') || undefined,
    ready: flag('ready'),
    drifted: flag('drifted'),
    failing: flag('failing'),
    q: params.get('q') ?? '',
    sort: sort && OVERVIEW_SORTS.includes(sort) ? sort : 'name',
    cursor: params.get('cursor') || undefined,
    limit: PAGE_SIZES.includes(limit) ? limit : DEFAULT_LIMIT,
  };
}

function serialize(filters: OverviewFilters): URLSearchParams {
  const params = new URLSearchParams();
  if (filters.tab !== 'services') params.set('tab', filters.tab);
  if (filters.ownedByMe !== undefined) {
    params.set('mine', String(filters.ownedByMe));
  }
  filters.owner.forEach(owner => params.append('owner', owner));
  filters.system.forEach(system => params.append('system', system));
  if (filters.environment) params.set('environment', filters.environment);
  if (filters.ready) params.set('ready', 'true');
  if (filters.drifted) params.set('drifted', 'true');
  if (filters.failing) params.set('failing', 'true');
  if (filters.q) params.set('q', filters.q);
  if (filters.sort !== 'name') params.set('sort', filters.sort);
  if (filters.cursor) params.set('cursor', filters.cursor);
  if (filters.limit !== DEFAULT_LIMIT)
    params.set('limit', String(filters.limit));
  return params;
}

/**
 * The filters, tab and page of the overview, read from and written to the URL's query string.
 * Changing a filter goes back to the first page; only paging keeps the cursor.
 */
export function useOverviewFilters() {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => parse(params), [params]);

  const update = useCallback(
    (change: Partial<OverviewFilters>) => {
      setParams(
        current => {
          const next = { ...parse(current), cursor: undefined, ...change };
          return serialize(next);
        },
        { replace: true },
      );
    },
    [setParams],
  );

  return { filters, update };
}

/** The backend query of a tab: "Ready to promote" lists only services that are. */
export function overviewQuery(
  filters: OverviewFilters,
  ownedByMe: boolean,
): OverviewQuery {
  return {
    ownedByMe,
    owner: filters.owner,
    system: filters.system,
    environment: filters.environment,
    ready: filters.tab === 'ready' || filters.ready,
    drifted: filters.drifted,
    failing: filters.failing,
    q: filters.q || undefined,
    sort: filters.sort,
    cursor: filters.cursor,
    limit: filters.limit,
  };
}
