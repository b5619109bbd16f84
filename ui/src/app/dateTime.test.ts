import { describe, expect, test } from "vitest";
import {
  type DateTimeOptions,
  formatDate,
  formatDateTime,
  formatExact,
  formatRelative,
  formatTimeOfDay,
  RECENT_MS,
} from "./dateTime";

const NOW = Date.parse("2026-03-12T14:05:30Z");
const gb: DateTimeOptions = { now: NOW, locale: "en-GB", timeZone: "UTC" };
const us: DateTimeOptions = { now: NOW, locale: "en-US", timeZone: "UTC" };
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();
const MIN = 60_000;

describe("formatRelative", () => {
  test("past and future minutes", () => {
    expect(formatRelative(at(-2 * MIN), gb)).toBe("2 min ago");
    expect(formatRelative(at(5 * MIN), gb)).toBe("in 5 min");
  });

  test("a few seconds either way is now", () => {
    expect(formatRelative(at(-3000), gb)).toBe("now");
    expect(formatRelative(at(4000), gb)).toBe("now");
    expect(formatRelative(at(-40_000), gb)).toBe("40 sec ago");
  });

  test("hours, days, weeks, months, years", () => {
    expect(formatRelative(at(-3 * 60 * MIN), gb)).toBe("3 hr ago");
    expect(formatRelative(at(-24 * 60 * MIN), gb)).toBe("yesterday");
    expect(formatRelative(at(-3 * 24 * 60 * MIN), gb)).toBe("3 days ago");
    expect(formatRelative(at(14 * 24 * 60 * MIN), gb)).toBe("in 2 wk");
    expect(formatRelative(at(-90 * 24 * 60 * MIN), gb)).toBe("3 mo ago");
    expect(formatRelative(at(-800 * 24 * 60 * MIN), gb)).toBe("2 yr ago");
  });

  test("follows the locale", () => {
    expect(formatRelative(at(-2 * MIN), { ...gb, locale: "de" })).toBe("vor 2 Min.");
  });
});

describe("formatDateTime", () => {
  test("relative within the hour, either side", () => {
    expect(formatDateTime(at(-2 * MIN), gb)).toBe("2 min ago");
    expect(formatDateTime(at(5 * MIN), gb)).toBe("in 5 min");
    expect(formatDateTime(at(-RECENT_MS + MIN), gb)).toBe("59 min ago");
  });

  test("absolute from an hour away", () => {
    expect(formatDateTime(at(-RECENT_MS), gb)).toBe("12 Mar 2026, 13:05");
    expect(formatDateTime("2025-11-27T10:42:00+00:00", gb)).toBe("27 Nov 2025, 10:42");
    expect(formatDateTime("2025-11-27T10:42:00+00:00", us)).toBe("Nov 27, 2025, 10:42 AM");
  });

  test("in the user's time zone", () => {
    expect(formatDateTime("2025-11-27T23:30:00Z", { ...gb, timeZone: "Europe/Berlin" })).toBe(
      "28 Nov 2025, 00:30",
    );
  });

  test("a missing time is a dash (or the text asked for); an unreadable one is shown as it came", () => {
    expect(formatDateTime(null, gb)).toBe("—");
    expect(formatDateTime(undefined, { ...gb, empty: "never" })).toBe("never");
    expect(formatDateTime("", gb)).toBe("—");
    expect(formatDateTime("not a time", gb)).toBe("not a time");
  });

  test("takes epoch milliseconds and Dates", () => {
    expect(formatDateTime(NOW - 2 * MIN, gb)).toBe("2 min ago");
    expect(formatDateTime(new Date(NOW + 5 * MIN), gb)).toBe("in 5 min");
  });
});

describe("formatDate", () => {
  test("the date only, however recent", () => {
    expect(formatDate(at(-2 * MIN), gb)).toBe("12 Mar 2026");
    expect(formatDate("2025-11-27T10:42:00Z", us)).toBe("Nov 27, 2025");
    expect(formatDate(null, gb)).toBe("—");
  });
});

describe("formatTimeOfDay", () => {
  test("today: the time only", () => {
    expect(formatTimeOfDay(at(3 * 60 * MIN), gb)).toBe("17:05");
    expect(formatTimeOfDay(at(3 * 60 * MIN), us)).toBe("5:05 PM");
  });

  test("another day: with the date", () => {
    expect(formatTimeOfDay("2026-03-13T02:00:00Z", gb)).toBe("13 Mar 2026, 02:00");
    expect(formatTimeOfDay("2026-03-13T02:00:00Z", us)).toBe("Mar 13, 2026, 2:00 AM");
  });

  test("'today' is the user's day, not UTC's", () => {
    // 23:30 UTC on the 12th is 00:30 on the 13th in Berlin.
    expect(formatTimeOfDay("2026-03-12T23:30:00Z", { ...gb, timeZone: "Europe/Berlin" })).toBe(
      "13 Mar 2026, 00:30",
    );
  });
});

describe("formatExact", () => {
  test("date and time with seconds", () => {
    expect(formatExact(at(-2 * MIN), gb)).toBe("12 Mar 2026, 14:03:30");
  });
});
