// A time on screen in the app's one format (dateTime.ts), kept current: "2 min ago" becomes
// "3 min ago" without a refetch. The exact time is the tooltip and the machine-readable value.
import { useSyncExternalStore } from "react";
import {
  type DateTimeOptions,
  formatDate,
  formatDateTime,
  formatExact,
  formatRelative,
  formatTimeOfDay,
  type When,
} from "./dateTime";

/** How often relative times on screen move on. */
const TICK_MS = 10_000;

// One clock for every time on screen, running only while one is shown.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The present, moving on every few seconds while the component is mounted. */
export function useNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => now,
  );
}

const FORMATS = {
  dateTime: formatDateTime,
  date: formatDate,
  timeOfDay: formatTimeOfDay,
  relative: formatRelative,
} satisfies Record<string, (when: When, o?: DateTimeOptions) => string>;

export type TimeFormat = keyof typeof FORMATS;

/** `<time>` showing `value` as `format` says; a missing time shows `empty` (default "—"). */
export function Time({
  value,
  format = "dateTime",
  empty,
}: {
  value: When;
  format?: TimeFormat;
  empty?: string;
}) {
  const current = useNow();
  const text = FORMATS[format](value, { now: current, empty });
  const ms =
    value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value ?? "");
  if (Number.isNaN(ms)) return <>{text}</>;
  return (
    <time dateTime={new Date(ms).toISOString()} title={formatExact(ms)}>
      {text}
    </time>
  );
}
