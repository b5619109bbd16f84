import { act, renderHook } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { useRowSelection } from "./useRowSelection";

const ROWS = ["a-bot", "b-bot", "c-bot", "d-bot", "e-bot"];
const rowAt = (i: number) => ROWS[i];

describe("row selection", () => {
  test("ticks, shift-click ranges both ways, all matching, and new filters clear it", () => {
    const { result, rerender } = renderHook(({ key }) => useRowSelection(key), {
      initialProps: { key: "f1" },
    });
    act(() => result.current.toggle("b-bot", 1, false, rowAt));
    act(() => result.current.toggle("d-bot", 3, true, rowAt));
    expect([...result.current.ids].sort()).toEqual(["b-bot", "c-bot", "d-bot"]);
    // Shift-click on a ticked row unticks the range from the last click to it.
    act(() => result.current.toggle("c-bot", 2, true, rowAt));
    expect([...result.current.ids].sort()).toEqual(["b-bot"]);
    act(() => result.current.toggle("a-bot", 0, true, rowAt));
    expect([...result.current.ids].sort()).toEqual(["a-bot", "b-bot", "c-bot"]);

    act(() => result.current.selectAllMatching());
    expect(result.current.allMatching).toBe(true);
    expect(result.current.isSelected("e-bot")).toBe(true);

    rerender({ key: "f2" });
    expect(result.current.allMatching).toBe(false);
    expect(result.current.ids.size).toBe(0);
  });
});
