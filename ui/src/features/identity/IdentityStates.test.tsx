import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { TopBar } from "../../components/TopBar";
import { renderWithProviders } from "../../test/render";
import { scenarios } from "../../test/scenarios";
import { ActingAsPage } from "./ActingAsPage";
import { IdentityBar } from "./IdentityBar";

const bar = () => screen.getByRole("group", { name: "Identity" });

describe("A refused identity is never shown as live", () => {
  test("disabled: the reason, no countdown, no Renew, no Assume again; Forget", async () => {
    renderWithProviders(<IdentityBar />, { backend: scenarios.refusedDisabled() });
    const status = await within(await screen.findByRole("group", { name: "Identity" })).findByRole("status");
    expect(status).toHaveTextContent("refused: disabled");
    expect(status).toHaveAttribute(
      "title",
      "etl-bot is disabled: an owner must enable it, then assume it again.",
    );
    expect(bar()).toHaveAttribute("data-state", "refused");
    expect(within(bar()).getByRole("button", { name: "etl-bot" })).toBeInTheDocument();
    expect(within(bar()).queryByRole("button", { name: "Acting as etl-bot" })).not.toBeInTheDocument();
    expect(screen.queryByRole("timer")).not.toBeInTheDocument();
    expect(within(bar()).queryByRole("button", { name: "Renew" })).not.toBeInTheDocument();
    expect(within(bar()).queryByRole("button", { name: "Assume again" })).not.toBeInTheDocument();
    expect(within(bar()).queryByRole("button", { name: /switch role/ })).not.toBeInTheDocument();
    expect(within(bar()).getByRole("button", { name: "Forget" })).toBeInTheDocument();
  });

  test("re-enabled, the old token dead: Assume again gives a live token", async () => {
    const { user, backend } = renderWithProviders(<IdentityBar />, {
      backend: scenarios.refusedTokenInvalid(),
    });
    const again = await screen.findByRole("button", { name: "Assume again" });
    expect(within(bar()).getByRole("status")).toHaveTextContent("refused: token invalid");
    await user.click(again);
    expect(await screen.findByRole("button", { name: "Acting as etl-bot" })).toBeInTheDocument();
    expect(screen.getByRole("timer", { name: "time left" })).toHaveTextContent(/^(60|59):\d\d$/);
    expect(within(bar()).getByRole("button", { name: "Renew" })).toBeInTheDocument();
    expect(backend.callsOf("identityReassume")).toEqual([["etl-bot"]]);
    expect(await screen.findByText(/Acting as etl-bot again with Data engineers/)).toBeInTheDocument();
  });

  test("the top bar says why under it; the acting-as page too, with the server's words", async () => {
    const backend = scenarios.refusedDisabled();
    renderWithProviders(
      <>
        <TopBar />
        <ActingAsPage />
      </>,
      { backend },
    );
    const banner = await screen.findByRole("alert", { name: "Identity refused" });
    expect(banner).toHaveTextContent(
      "The server refuses etl-bot's token. etl-bot is disabled: an owner must enable it, then assume it again.",
    );
    const alert = await screen.findByRole("alert", { name: "The server refuses etl-bot's token" });
    expect(alert).toHaveTextContent(
      "The server said: The user is disabled; ask an owner to enable it. (PRINCIPAL_DISABLED",
    );
    expect(within(alert).queryByRole("button", { name: "Assume again" })).not.toBeInTheDocument();
    expect(within(alert).getByRole("button", { name: "Forget" })).toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "etl-bot (refused)" })).toBeInTheDocument();
    expect(screen.queryByRole("timer")).not.toBeInTheDocument();
  });

  test("changed elsewhere: 'Check with the server' finds it refused", async () => {
    const backend = scenarios.actingAs();
    const { user } = renderWithProviders(<IdentityBar />, { backend });
    await user.click(await screen.findByRole("button", { name: "Acting as etl-bot" }));
    // Unshared from alice by another client meanwhile.
    const su = backend.find("etl-bot");
    if (su) su.shares = { users: ["bob"], tags: [] };
    await user.click(await screen.findByRole("menuitem", { name: "Check with the server" }));
    await waitFor(() => expect(bar()).toHaveAttribute("data-state", "refused"));
    expect(within(bar()).getByRole("status")).toHaveTextContent("refused: not shared with you");
    expect(backend.callsOf("identitiesCheck")).toHaveLength(1);
  });

  test("the identities menu names each one's state", async () => {
    const backend = scenarios.actingAsExpiring();
    const report = backend.find("report-bot");
    if (report) report.enabled = false;
    await backend.identitiesCheck();
    const { user } = renderWithProviders(<IdentityBar />, { backend });
    await user.click(await screen.findByRole("button", { name: "Acting as etl-bot" }));
    expect(
      await screen.findByRole("menuitem", { name: "Act as report-bot (refused: disabled)" }),
    ).toBeInTheDocument();
    expect(screen.getByRole("menuitem", { name: "etl-bot (active) (expiring)" })).toBeDisabled();
  });

  test("expired: the acting-as page offers Assume again, no countdown", async () => {
    const { user, backend } = renderWithProviders(<ActingAsPage />, { backend: scenarios.actingAsExpired() });
    const alert = await screen.findByRole("alert", { name: "The token expired" });
    expect(screen.getByRole("heading", { name: "etl-bot (expired)" })).toBeInTheDocument();
    expect(screen.queryByRole("timer")).not.toBeInTheDocument();
    await user.click(within(alert).getByRole("button", { name: "Assume again" }));
    expect(await screen.findByRole("heading", { name: "Acting as etl-bot" })).toBeInTheDocument();
    expect(backend.callsOf("identityReassume")).toEqual([["etl-bot"]]);
  });

  test("a password session ending before the token: the acting-as page says so", async () => {
    const backend = scenarios.actingAs();
    backend.data.auth = "session";
    backend.data.sessionExpiresAt = new Date(Date.now() + 20 * 60_000).toISOString();
    renderWithProviders(<ActingAsPage />, { backend });
    expect(await screen.findByTestId("session-ends-first")).toHaveTextContent(
      /your session ends first, .+: the window stops acting as etl-bot then, until you sign in again\./,
    );
  });
});
