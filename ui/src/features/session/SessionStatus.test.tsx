import { screen, waitFor } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { App } from "../../app/App";
import { TopBar } from "../../components/TopBar";
import { renderWithProviders } from "../../test/render";
import { scenarios } from "../../test/scenarios";

describe("The session in the top bar", () => {
  test("offline: who, and the cache's time, not 'Not signed in'", async () => {
    renderWithProviders(<App />, { backend: scenarios.offline() });
    const session = await screen.findByRole("group", { name: "session" });
    // The cache's time comes with the first sync.
    await waitFor(() => expect(session).toHaveTextContent(/^offline: alice \(cached as of .*2026.*\)$/));
    expect(screen.queryByText("Not signed in")).not.toBeInTheDocument();
    expect(screen.queryByLabelText("signed in as")).not.toBeInTheDocument();
  });

  test("an ended session says so", async () => {
    renderWithProviders(<TopBar />, { backend: scenarios.sessionExpired() });
    expect(await screen.findByText("Session ended: sign in")).toBeInTheDocument();
    expect(screen.queryByText("Not signed in")).not.toBeInTheDocument();
  });

  test("a password session that ends while the window is open: the session is asked again", async () => {
    const backend = scenarios.passwordSession();
    backend.data.sessionExpiresAt = new Date(Date.now() + 1_500).toISOString();
    renderWithProviders(<TopBar />, { backend });
    await screen.findByLabelText("signed in as");
    expect(await screen.findByText("Session ended: sign in", {}, { timeout: 4_000 })).toBeInTheDocument();
  });

  test("the role menu says when the password session ends", async () => {
    const { user } = renderWithProviders(<TopBar />, { backend: scenarios.passwordSession() });
    await waitFor(() =>
      expect(screen.getByLabelText("signed in as")).toHaveTextContent("alice as Super admin"),
    );
    await user.click(screen.getByRole("button", { name: /^alice as/ }));
    const menu = await screen.findByRole("menu");
    expect(menu).toHaveTextContent(/Session ends at .+ \(in 42 min\.?\)/);
  });

  test("the environment menu says so too; an access token's sign-in has no end", async () => {
    const { user } = renderWithProviders(<TopBar />, { backend: scenarios.signedIn() });
    await user.click(await screen.findByRole("button", { name: /switch environment/ }));
    expect(await screen.findByRole("menu")).toHaveTextContent(
      "Signed in with an access token: no session end.",
    );
  });
});
