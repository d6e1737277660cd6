import { Config } from '@backstage/config';
import { ConfigProblems, readDurationMs } from './configProblems';

/** `gitops.controlPlane`: the platform team's view of the Argo CD instances. @public */
export interface ControlPlaneConfig {
  /** Applications OutOfSync longer than this are listed. */
  outOfSyncThresholdMs: number;
  /** Most Applications listed per instance in each list (the longest first). */
  maxListed: number;
}

/** Applications OutOfSync longer than this are listed, unless configured otherwise. */
export const DEFAULT_OUT_OF_SYNC_THRESHOLD_MS = 30 * 60_000;
const DEFAULT_MAX_LISTED = 50;

/** Reads `gitops.controlPlane`. */
export function readControlPlaneConfig(
  config: Config,
  problems: ConfigProblems,
): ControlPlaneConfig {
  const block = problems.read(() =>
    config.getOptionalConfig('gitops.controlPlane'),
  );
  return {
    outOfSyncThresholdMs: block
      ? readDurationMs(
          block,
          {
            key: 'outOfSyncThreshold',
            path: 'gitops.controlPlane.outOfSyncThreshold',
            fallbackMs: DEFAULT_OUT_OF_SYNC_THRESHOLD_MS,
            renamedFrom: 'outOfSyncThresholdMinutes',
          },
          problems,
        )
      : DEFAULT_OUT_OF_SYNC_THRESHOLD_MS,
    maxListed: DEFAULT_MAX_LISTED,
  };
}
