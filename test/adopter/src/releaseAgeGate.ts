/** How long after a Backstage release its patch releases come; the next release comes later. */
const PATCH_WINDOW_DAYS = 21;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The portal's `npmMinimalAgeGate` (whole days, at least `minimumDays`) that leaves out what was
 * published after a release's patch window: a create-app portal of an older release would
 * otherwise take, within its caret ranges, packages of later releases that need each other.
 */
export function releaseAgeGateDays(
  releasedAt: Date,
  now: Date,
  minimumDays: number,
): number {
  const cutoff = releasedAt.getTime() + PATCH_WINDOW_DAYS * DAY_MS;
  return Math.max(minimumDays, Math.ceil((now.getTime() - cutoff) / DAY_MS));
}

/**
 * A create-app `.yarnrc.yml` with that age gate for every package, `@backstage/*` included (not
 * pre-approved), and Yarn from corepack (`packageManager`) rather than the copied release.
 */
export function gatedYarnrc(yarnrc: string, gateDays: number): string {
  const kept: string[] = [];
  let inPreapproved = false;
  for (const line of yarnrc.split('\n')) {
    if (inPreapproved && /^\s+-/.test(line)) continue;
    inPreapproved = line.startsWith('npmPreapprovedPackages:');
    if (
      inPreapproved ||
      line.startsWith('yarnPath:') ||
      line.startsWith('npmMinimalAgeGate:')
    ) {
      continue;
    }
    kept.push(line);
  }
  return `${kept.join('\n').trimEnd()}\nnpmMinimalAgeGate: ${gateDays}d\n`;
}
