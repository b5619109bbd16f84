import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import type { AccessTokenView } from "../../gen/bindings";
import { FakeBackend } from "../../test/fake";
import { renderWithProviders } from "../../test/render";
import { AccessTokensPage } from "./AccessTokensPage";

const DAY = 86_400_000;

function pat(tokenId: string, tokenName: string, roleId: string, days: number): AccessTokenView {
  return {
    tokenId,
    tokenName,
    description: null,
    roleId,
    expiresAt: new Date(Date.now() + days * DAY - 60_000).toISOString(),
    creationTime: "2026-11-02T08:00:00+00:00",
    createdBy: "alice",
    active: true,
  };
}

/** etl-bot's seeded PAT (2027) plus one expiring in 5 days as system administrators; one of
 * report-bot in 20 days; one of finance-bot, which alice has no access to. */
function backend(): FakeBackend {
  const b = new FakeBackend();
  b.data.accessTokens["etl-bot"]?.push(
    pat("tok-etl-admin", "etl-admin", "SystemRole-SystemAdministrators", 5),
  );
  b.data.accessTokens["report-bot"] = [pat("tok-report", "report-daily", "role-analysts", 20)];
  b.data.accessTokens["finance-bot"] = [pat("tok-finance", "finance-close", "role-analysts", 3)];
  return b;
}

const rows = () =>
  within(screen.getByRole("table", { name: "Access tokens" }))
    .getAllByRole("row")
    .slice(1);
const names = () => rows().map((r) => r.getAttribute("data-token-id"));

describe("AccessTokensPage", () => {
  test("lists the PATs of your service users with role, dates and days left", async () => {
    renderWithProviders(<AccessTokensPage />, { backend: backend() });
    await screen.findByRole("table", { name: "Access tokens" });
    expect(names()).toEqual(["tok-etl-nightly", "tok-etl-admin", "tok-report"]);
    const admin = rows()[1];
    expect(admin).toHaveTextContent("etl-bot");
    expect(admin).toHaveTextContent("SystemRole-SystemAdministrators");
    expect(within(admin).getByText("high privilege")).toBeInTheDocument();
    expect(within(admin).getAllByRole("cell")[6]).toHaveTextContent(/^5$/);
    // Created and expires through the shared <Time>.
    expect(admin.querySelectorAll("time")).toHaveLength(2);
    expect(screen.getByText(/As of/)).toBeInTheDocument();
    expect(screen.getByText("No service user is assumed on this machine.")).toBeInTheDocument();
  });

  test("filters by expiry, high privilege and service user, through the backend", async () => {
    const { user, backend: b } = renderWithProviders(<AccessTokensPage />, { backend: backend() });
    await screen.findByRole("table", { name: "Access tokens" });
    await user.click(screen.getByText("Within 7 days"));
    await waitFor(() => expect(names()).toEqual(["tok-etl-admin"]));
    await user.click(screen.getByText("Within 30 days"));
    await waitFor(() => expect(names()).toEqual(["tok-etl-admin", "tok-report"]));
    await user.click(screen.getByText("Any expiry"));
    await user.click(screen.getByRole("checkbox", { name: "High privilege only" }));
    await waitFor(() => expect(names()).toEqual(["tok-etl-admin"]));
    await user.click(screen.getByRole("checkbox", { name: "High privilege only" }));
    await user.type(screen.getByRole("textbox", { name: "Service user" }), "report-bot");
    await waitFor(() => expect(names()).toEqual(["tok-report"]));
    expect(b.callsOf("fleetAccessTokens").at(-1)).toEqual([
      { expiringWithinDays: null, highPrivilegeOnly: false, serviceUser: "report-bot" },
    ]);
  });

  test("revokes two selected tokens after a confirmation", async () => {
    const { user, backend: b } = renderWithProviders(<AccessTokensPage />, { backend: backend() });
    await screen.findByRole("table", { name: "Access tokens" });
    expect(screen.getByRole("button", { name: /Revoke selected/ })).toBeDisabled();
    await user.click(screen.getByRole("checkbox", { name: "Select etl-admin of etl-bot" }));
    await user.click(screen.getByRole("checkbox", { name: "Select report-daily of report-bot" }));
    await user.click(screen.getByRole("button", { name: "Revoke selected (2)" }));
    const dialog = await screen.findByRole("dialog", { name: "Revoke 2 access tokens?" });
    expect(dialog).toHaveTextContent("etl-bot: etl-admin");
    expect(dialog).toHaveTextContent("report-bot: report-daily");
    await user.click(within(dialog).getByRole("button", { name: "Revoke 2 tokens" }));
    await waitFor(() => expect(names()).toEqual(["tok-etl-nightly"]));
    expect(b.callsOf("fleetAccessTokensRevoke")).toEqual([
      [
        [
          { serviceUserId: "etl-bot", tokenId: "tok-etl-admin" },
          { serviceUserId: "report-bot", tokenId: "tok-report" },
        ],
      ],
    ]);
    expect(b.data.accessTokens["report-bot"]).toEqual([]);
  });

  test("a failed revoke is named with its code, the others done", async () => {
    const b = backend();
    const { user } = renderWithProviders(<AccessTokensPage />, { backend: b });
    await screen.findByRole("table", { name: "Access tokens" });
    await user.click(screen.getByRole("checkbox", { name: "Select every token shown" }));
    // Revoked behind the page's back: NOT_FOUND for that one.
    b.data.accessTokens["report-bot"] = [];
    await user.click(screen.getByRole("button", { name: "Revoke selected (3)" }));
    const dialog = await screen.findByRole("dialog", { name: "Revoke 3 access tokens?" });
    await user.click(within(dialog).getByRole("button", { name: "Revoke 3 tokens" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Some tokens were not revoked");
    expect(alert.querySelector("[data-error-code='NOT_FOUND']")).not.toBeNull();
    expect(b.data.accessTokens["etl-bot"]).toEqual([]);
  });
});
