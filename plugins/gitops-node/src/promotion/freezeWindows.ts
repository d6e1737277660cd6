import { InputError } from '@backstage/errors';

/**
 * A period in which promotions to an environment are refused. `start` and `end` are either ISO
 * date-times (one period) or weekly times in UTC such as `Fri 16:00` and `Mon 08:00` (every
 * week; the window may wrap around the week's end).
 *
 * @public
 */
export interface FreezeWindow {
  /** Environments the window applies to; absent: every environment. */
  environments?: string[];
  start: string;
  end: string;
  reason?: string;
  /** Whether `now` falls inside the window. */
  contains(now: Date): boolean;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WEEK_MINUTES = 7 * 24 * 60;

function weeklyMinute(text: string): number | undefined {
  const match = /^(sun|mon|tue|wed|thu|fri|sat)[a-z]* (\d{1,2}):(\d{2})$/i.exec(
    text.trim(),
  );
  if (!match) {
    return undefined;
  }
  const [hours, minutes] = [Number(match[2]), Number(match[3])];
  if (hours > 23 || minutes > 59) {
    return undefined;
  }
  return DAYS.indexOf(match[1].toLowerCase()) * 24 * 60 + hours * 60 + minutes;
}

/** Parses one configured freeze window. @public */
export function parseFreezeWindow(
  window: {
    environments?: string[];
    start: string;
    end: string;
    reason?: string;
  },
  where = 'freeze window',
): FreezeWindow {
  const weeklyStart = weeklyMinute(window.start);
  const weeklyEnd = weeklyMinute(window.end);
  if (weeklyStart !== undefined && weeklyEnd !== undefined) {
    return {
      ...window,
      contains(now) {
        const minute =
          now.getUTCDay() * 24 * 60 +
          now.getUTCHours() * 60 +
          now.getUTCMinutes();
        const length = (weeklyEnd - weeklyStart + WEEK_MINUTES) % WEEK_MINUTES;
        return (minute - weeklyStart + WEEK_MINUTES) % WEEK_MINUTES < length;
      },
    };
  }
  const start = Date.parse(window.start);
  const end = Date.parse(window.end);
  if (Number.isNaN(start) || Number.isNaN(end) || end <= start) {
    throw new InputError(
      `Invalid ${where}: start and end must both be ISO date-times (end after start) or both weekly times such as "Fri 16:00"`,
    );
  }
  return {
    ...window,
    contains: now => now.getTime() >= start && now.getTime() < end,
  };
}
