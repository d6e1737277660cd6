import { SyncFailureReason } from '@backstage-gitops/plugin-gitops-common';

const MAX_REASON_LENGTH = 300;

/**
 * Rewrites the parts of a sync failure message that differ between two failures of the same
 * cause, so they group as one reason: timestamps, UUIDs, commit shas and other hex hashes
 * (pod-template hashes, digests), long numbers (resource versions, generations, ports) and Argo
 * CD's `(retried N times)` suffix. What is left is the cause in the words of Argo CD.
 */
export function normalizeSyncFailureMessage(message: string): string {
  const normalized = message
    .replace(
      /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g,
      '<time>',
    )
    .replace(
      /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
      '<id>',
    )
    .replace(/\bsha256:[0-9a-f]{16,}\b/gi, 'sha256:<hash>')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,64}\b/gi, '<hash>')
    .replace(/\b\d{4,}\b/g, '<n>')
    .replace(/\s*\(retried \d+ times?\)\.?/gi, '')
    .replace(/\s+/g, ' ')
    .trim();
  return normalized.length > MAX_REASON_LENGTH
    ? `${normalized.slice(0, MAX_REASON_LENGTH - 1)}…`
    : normalized;
}

/** The most frequent reasons among failure messages, most frequent first (then alphabetical). */
export function topSyncFailureReasons(
  messages: string[],
  max: number,
): SyncFailureReason[] {
  const counts = new Map<string, number>();
  for (const message of messages) {
    const reason = normalizeSyncFailureMessage(message);
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts]
    .map(([message, count]) => ({ message, count }))
    .sort((a, b) => b.count - a.count || a.message.localeCompare(b.message))
    .slice(0, max);
}
