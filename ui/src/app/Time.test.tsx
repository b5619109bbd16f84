import { act, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, test, vi } from "vitest";
import { formatDate, formatExact } from "./dateTime";
import { Time } from "./Time";

afterEach(() => {
  vi.useRealTimers();
});

describe("<Time>", () => {
  test("a recent time is relative, moves on by itself, and has the exact time as its tooltip", () => {
    vi.useFakeTimers({ now: Date.parse("2026-03-12T14:05:30Z") });
    const at = "2026-03-12T14:03:30Z";
    render(<Time value={at} />);
    const time = screen.getByText(/2 min/);
    expect(time.tagName).toBe("TIME");
    expect(time).toHaveAttribute("datetime", "2026-03-12T14:03:30.000Z");
    expect(time).toHaveAttribute("title", formatExact(at));
    act(() => vi.advanceTimersByTime(60_000));
    expect(time).toHaveTextContent(/3 min/);
  });

  test("a date, a missing time and an unreadable one", () => {
    const { rerender } = render(<Time value="2025-11-27T10:42:00Z" format="date" />);
    expect(screen.getByText(formatDate("2025-11-27T10:42:00Z"))).toBeInTheDocument();
    rerender(<Time value={null} empty="never" />);
    expect(screen.getByText("never").tagName).not.toBe("TIME");
    rerender(<Time value="soon" />);
    expect(screen.getByText("soon")).toBeInTheDocument();
  });
});
