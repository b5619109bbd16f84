// The one date-time format of the app: the user's locale, relative for recent times ("2 min. ago",
// "in 5 min."), absolute otherwise. Every screen formats through here, so a time reads the same
// in the list, the drawer, the banners and the toasts.

/** A time as the backend sends it (RFC 3339), epoch milliseconds or a Date; null: no time. */
export type When = string | number | Date | null | undefined;

export type DateTimeOptions = {
  /** The present (tests fix it); default: the clock. */
  now?: number | Date;
  /** Default: the user's locale (the runtime's). */
  locale?: string | readonly string[];
  /** Default: the user's time zone. */
  timeZone?: string;
  /** Shown for a missing time; default "—". */
  empty?: string;
};

/** Closer to now than this, a time is shown relative to now. */
export const RECENT_MS = 60 * 60 * 1000;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// Building an Intl formatter costs far more than using one, and the list formats a time per row.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function cached<F extends Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, make: () => F): F {
  let f = formatters.get(key);
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f as F;
}

function localeOf(o: DateTimeOptions): string[] | undefined {
  if (o.locale === undefined) return undefined;
  return typeof o.locale === "string" ? [o.locale] : [...o.locale];
}

function dateFormat(o: DateTimeOptions, kind: string, style: Intl.DateTimeFormatOptions) {
  const locale = localeOf(o);
  return cached(`d|${kind}|${locale?.join(",") ?? ""}|${o.timeZone ?? ""}`, () =>
    Intl.DateTimeFormat(locale, { ...style, timeZone: o.timeZone }),
  );
}

function relativeFormat(o: DateTimeOptions) {
  const locale = localeOf(o);
  return cached(
    `r|${locale?.join(",") ?? ""}`,
    () => new Intl.RelativeTimeFormat(locale, { style: "short", numeric: "auto" }),
  );
}

/** The time in epoch ms; null for a missing one, NaN for one that does not parse. */
function toMs(when: When): number | null {
  if (when === null || when === undefined || when === "") return null;
  if (when instanceof Date) return when.getTime();
  if (typeof when === "number") return when;
  return Date.parse(when);
}

function nowMs(o: DateTimeOptions): number {
  return o.now === undefined ? Date.now() : typeof o.now === "number" ? o.now : o.now.getTime();
}

/** Formats with `f`, or says why it cannot: the empty text, or an unparseable text as it came. */
function format(when: When, o: DateTimeOptions, f: (ms: number) => string): string {
  const ms = toMs(when);
  if (ms === null) return o.empty ?? "—";
  if (Number.isNaN(ms)) return String(when);
  return f(ms);
}

function relative(ms: number, o: DateTimeOptions): string {
  const diff = ms - nowMs(o);
  const abs = Math.abs(diff);
  const [unit, size]: [Intl.RelativeTimeFormatUnit, number] =
    abs < MINUTE
      ? ["second", SECOND]
      : abs < HOUR
        ? ["minute", MINUTE]
        : abs < DAY
          ? ["hour", HOUR]
          : abs < 7 * DAY
            ? ["day", DAY]
            : abs < 30 * DAY
              ? ["week", 7 * DAY]
              : abs < 365 * DAY
                ? ["month", 30 * DAY]
                : ["year", 365 * DAY];
  // Under ten seconds reads as "now"; `|| 0` turns -0 into 0 so it is not "0 sec. ago".
  const value = abs < 10 * SECOND ? 0 : Math.round(diff / size) || 0;
  return relativeFormat(o).format(value, unit);
}

/** A relative time at any distance: "2 min. ago", "in 5 min.", "yesterday", "3 days ago". */
export function formatRelative(when: When, o: DateTimeOptions = {}): string {
  return format(when, o, (ms) => relative(ms, o));
}

/** The app's date-time: relative within an hour of now, else date and time ("12 Mar 2026, 14:05"). */
export function formatDateTime(when: When, o: DateTimeOptions = {}): string {
  return format(when, o, (ms) =>
    Math.abs(ms - nowMs(o)) < RECENT_MS
      ? relative(ms, o)
      : dateFormat(o, "datetime", { dateStyle: "medium", timeStyle: "short" }).format(ms),
  );
}

/** A date without its time ("12 Mar 2026"): creation days, token expiry days. */
export function formatDate(when: When, o: DateTimeOptions = {}): string {
  return format(when, o, (ms) => dateFormat(o, "date", { dateStyle: "medium" }).format(ms));
}

/** A time of day ("14:05"), for a token's end; with the date when it is not today. */
export function formatTimeOfDay(when: When, o: DateTimeOptions = {}): string {
  return format(when, o, (ms) => {
    const day = dateFormat(o, "day", { year: "numeric", month: "numeric", day: "numeric" });
    return day.format(ms) === day.format(nowMs(o))
      ? dateFormat(o, "time", { timeStyle: "short" }).format(ms)
      : dateFormat(o, "datetime", { dateStyle: "medium", timeStyle: "short" }).format(ms);
  });
}

/** The exact date and time with seconds, for a tooltip under a relative time. */
export function formatExact(when: When, o: DateTimeOptions = {}): string {
  return format(when, o, (ms) =>
    dateFormat(o, "exact", { dateStyle: "medium", timeStyle: "medium" }).format(ms),
  );
}
