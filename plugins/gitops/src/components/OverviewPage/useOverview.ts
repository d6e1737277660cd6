import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/frontend-plugin-api';
import { gitopsApiRef } from '../../api';
import { OverviewFilters, overviewQuery } from './useOverviewFilters';

/**
 * Whether "owned by me" is on: the user's choice from the URL, else on exactly when the user owns
 * at least one service (one single-row probe), so nobody lands on an empty page by default.
 */
function useOwnedByMe(choice: boolean | undefined) {
  const api = useApi(gitopsApiRef);
  const probe = useAsync(async () => {
    if (choice !== undefined) {
      return choice;
    }
    try {
      const page = await api.getOverview({ ownedByMe: true, limit: 1 });
      return page.totalItems > 0;
    } catch {
      // the main request reports the failure; without an answer, show every service
      return false;
    }
  }, [api, choice]);
  return probe.value;
}

/** One page of the overview for the current filters; keeps the last page while reloading. */
export function useOverview(filters: OverviewFilters) {
  const api = useApi(gitopsApiRef);
  const ownedByMe = useOwnedByMe(filters.ownedByMe);
  const query =
    ownedByMe === undefined ? undefined : overviewQuery(filters, ownedByMe);
  const key = JSON.stringify(query);
  const page = useAsyncRetry(
    async () => (query ? api.getOverview(query) : undefined),
    // the query is rebuilt on each render: its serialized form says when it changed
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, key],
  );
  return {
    ownedByMe,
    page: page.value,
    loading: page.loading || query === undefined,
    error: page.error,
    retry: page.retry,
  };
}
