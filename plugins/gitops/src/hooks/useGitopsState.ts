import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/frontend-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  EntityGitopsState,
  gitopsStateChannel,
} from '@backstage-gitops/plugin-gitops-common';
import { gitopsApiRef } from '../api';

/** Polling interval when the signals plugin is not installed. */
export const FALLBACK_POLL_INTERVAL_MS = 60_000;
/** Safety net against a signal lost while the signals connection was re-established. */
export const SIGNALS_POLL_INTERVAL_MS = 5 * 60_000;

/** @internal */
export interface GitopsStateResult {
  /** The last state received; kept while a refresh fails. */
  state?: EntityGitopsState;
  /** Error of the last request, when it failed. */
  error?: Error;
  /** True until the first response (success or failure). */
  loading: boolean;
  refresh: () => void;
}

/**
 * The deployment state of an entity, refetched whenever the backend signals a change on
 * {@link gitopsStateChannel}, and polled slowly as a fallback.
 */
export function useGitopsState(entityRef: string): GitopsStateResult {
  const api = useApi(gitopsApiRef);
  const [result, setResult] = useState<Omit<GitopsStateResult, 'refresh'>>({
    loading: true,
  });
  // Only the newest request may update the result, so slow responses never overwrite newer ones.
  const latestRequest = useRef(0);

  const load = useCallback(async () => {
    const request = ++latestRequest.current;
    try {
      const state = await api.getState(entityRef);
      if (request === latestRequest.current) {
        setResult({ state, loading: false });
      }
    } catch (e) {
      if (request === latestRequest.current) {
        const error = e instanceof Error ? e : new Error(String(e));
        setResult(previous => ({
          state: previous.state,
          error,
          loading: false,
        }));
      }
    }
  }, [api, entityRef]);

  useEffect(() => {
    setResult({ loading: true });
    load();
  }, [load]);

  const { lastSignal, isSignalsAvailable } = useSignal(
    gitopsStateChannel(entityRef),
  );
  useEffect(() => {
    if (lastSignal) {
      load();
    }
  }, [lastSignal, load]);

  useEffect(() => {
    const interval = setInterval(
      load,
      isSignalsAvailable ? SIGNALS_POLL_INTERVAL_MS : FALLBACK_POLL_INTERVAL_MS,
    );
    return () => clearInterval(interval);
  }, [load, isSignalsAvailable]);

  return { ...result, refresh: load };
}
