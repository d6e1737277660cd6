import { useEffect, useState } from 'react';

const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
];

/** `5 minutes ago`, in the browser's language. */
export function formatRelativeTime(iso: string, now: number = Date.now()) {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return format.format(Math.round(seconds / size), unit);
    }
  }
  return format.format(0, 'second');
}

/** The current time, re-read every `intervalMs` so relative times do not go stale. */
function useNow(intervalMs: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** A relative time, with the exact time in a tooltip and for machines. */
export function RelativeTime(props: { value: string }) {
  const now = useNow(30_000);
  const date = new Date(props.value);
  if (Number.isNaN(date.getTime())) {
    return <>{props.value}</>;
  }
  return (
    <time dateTime={props.value} title={date.toLocaleString()}>
      {formatRelativeTime(props.value, now)}
    </time>
  );
}
