import { act, screen, waitFor } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { renderWithProviders } from "../test/render";
import { notifyError, TOAST_LIMIT } from "./notify";

describe("toasts", () => {
  test(`at most ${TOAST_LIMIT} on screen; the next waits until one goes`, async () => {
    const { user } = renderWithProviders(<p>page</p>);
    act(() => {
      for (let i = 1; i <= 4; i++) notifyError({ code: "internal", message: `failure ${i}` });
    });
    await screen.findByText("failure 3");
    expect(screen.getAllByText(/^failure \d$/)).toHaveLength(3);
    expect(screen.queryByText("failure 4")).toBeNull();
    await user.click(screen.getAllByRole("button", { name: "Dismiss" })[0]);
    expect(await screen.findByText("failure 4")).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByText(/^failure \d$/)).toHaveLength(3));
  });
});
