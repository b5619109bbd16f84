import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { TopBar } from "../../components/TopBar";
import { renderWithProviders } from "../../test/render";
import { scenarios } from "../../test/scenarios";
import { SESSION_PROMPT_MS, sessionEndAt } from "./sessionEnd";

describe("sessionEndAt", () => {
  const now = Date.parse("2026-11-27T10:00:00Z");
  const at = (ms: number) => new Date(now + ms).toISOString();
  test("none without an end, or an unreadable one", () => {
    expect(sessionEndAt(null, now)).toBeNull();
    expect(sessionEndAt("soon", now)).toBeNull();
  });
  test("ending within the prompt's minutes, ended at the end", () => {
    expect(sessionEndAt(at(SESSION_PROMPT_MS + 1), now)).toMatchObject({ ending: false, ended: false });
    expect(sessionEndAt(at(SESSION_PROMPT_MS), now)).toMatchObject({ ending: true, ended: false });
    expect(sessionEndAt(at(1), now)).toMatchObject({ ending: true, ended: false, msLeft: 1 });
    expect(sessionEndAt(at(0), now)).toMatchObject({ ending: false, ended: true });
  });
});

describe("SessionEndingPrompt", () => {
  test("no prompt while the session has long to go", async () => {
    renderWithProviders(<TopBar />, { backend: scenarios.passwordSession() });
    await screen.findByLabelText("signed in as");
    expect(screen.queryByRole("dialog", { name: /Your session ends in/ })).not.toBeInTheDocument();
  });

  test("minutes before the end it asks to sign in again; Later dismisses it", async () => {
    const { user } = renderWithProviders(<TopBar />, { backend: scenarios.sessionEnding() });
    const prompt = await screen.findByRole("dialog", { name: /Your session ends in/ });
    expect(within(prompt).getByRole("timer", { name: "session time left" })).toHaveTextContent(
      /^0[23]:\d\d$/,
    );
    expect(prompt).toHaveTextContent(/The password session in demo ends at .+\. Sign in again/);
    await user.click(within(prompt).getByRole("button", { name: "Later" }));
    await waitFor(() =>
      expect(screen.queryByRole("dialog", { name: /Your session ends in/ })).not.toBeInTheDocument(),
    );
  });

  test("Sign in again: the password form, and a new session's end", async () => {
    const { user, backend } = renderWithProviders(<TopBar />, { backend: scenarios.sessionEnding() });
    const prompt = await screen.findByRole("dialog", { name: /Your session ends in/ });
    await user.click(within(prompt).getByRole("button", { name: "Sign in again" }));
    const dialog = await screen.findByRole("dialog", { name: "Sign in again to demo" });
    expect(within(dialog).getByRole("textbox", { name: "User id" })).toHaveValue("alice");
    await user.type(within(dialog).getByLabelText(/^Password/), "alice-demo-password");
    await user.click(within(dialog).getByRole("button", { name: "Sign in" }));
    await waitFor(() => expect(backend.callsOf("signIn")).toHaveLength(1));
    expect(await screen.findByText("Signed in to demo again.")).toBeInTheDocument();
    expect(screen.queryByRole("dialog", { name: /Your session ends in/ })).not.toBeInTheDocument();
    expect(Date.parse(backend.data.sessionExpiresAt ?? "") - Date.now()).toBeGreaterThan(59 * 60_000);
  });
});
