/** How long after a Backstage release its patch releases come; the next release comes later. */
const PATCH_WINDOW_DAYS = 21;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The `npmMinimalAgeGate` (whole days, at least `minimumDays`) that leaves out what was published
 * after a release's patch window: a create-app portal of an older release would otherwise take,
 * within its caret ranges, packages of later releases that need each other's new versions.
 */
export function releaseAgeGateDays(
  releasedAt: Date,
  now: Date,
  minimumDays: number,
): number {
  const cutoff = releasedAt.getTime() + PATCH_WINDOW_DAYS * DAY_MS;
  return Math.max(minimumDays, Math.ceil((now.getTime() - cutoff) / DAY_MS));
}
