import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { FakeBackend } from "../../../test/fake";
import { renderWithProviders } from "../../../test/render";
import { scenarios } from "../../../test/scenarios";
import { ServiceUserDrawer } from "./ServiceUserDrawer";

async function openTab(tab: string, backend = new FakeBackend(), userId = "etl-bot") {
  const r = renderWithProviders(<ServiceUserDrawer userId={userId} onClose={() => {}} />, { backend });
  await r.user.click(await screen.findByRole("tab", { name: tab }));
  return r;
}

describe("Who can act tab", { timeout: 30_000 }, () => {
  test("owners directly, owners through tags with their members, access fixed to Owner", async () => {
    await openTab("Who can act");
    const owners = await screen.findByRole("table", { name: "Owners" });
    expect(within(owners).getByRole("row", { name: /alice/ })).toHaveTextContent("Owner");
    const tags = screen.getByRole("table", { name: "Owners through tags" });
    const team = within(tags).getByRole("row", { name: /#team-data/ });
    expect(team).toHaveTextContent("alice, bob");
    expect(team).toHaveTextContent("Owner");
    expect(screen.getByText(/shared with Owner access only/)).toBeInTheDocument();
  });

  test("its access tokens, each revocable after a confirmation", async () => {
    const { user, backend } = await openTab("Who can act");
    const tokens = await screen.findByRole("table", { name: "Access tokens" });
    // The role by its name, its id on hover.
    const nightly = within(tokens).getByRole("row", { name: /nightly-loader/ });
    expect(await within(nightly).findByText("Data engineers")).toHaveAttribute(
      "title",
      "role-data-engineers",
    );
    await user.click(screen.getByRole("button", { name: "Revoke nightly-loader" }));
    const dialog = await screen.findByRole("dialog", { name: "Revoke nightly-loader?" });
    expect(within(dialog).getByText("demo")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("button", { name: "Revoke" }));
    expect(await screen.findByText(/No access tokens: only people who assume etl-bot/)).toBeInTheDocument();
    expect(backend.callsOf("serviceUserAccessTokenRevoke")).toEqual([["etl-bot", "tok-etl-nightly"]]);
  });

  test("unshare a tag after a confirmation; the tables follow", async () => {
    const { user, backend } = await openTab("Who can act");
    await user.click(await screen.findByRole("button", { name: "Unshare tag team-data" }));
    const dialog = await screen.findByRole("dialog", { name: "Unshare etl-bot with tag team-data?" });
    await user.click(within(dialog).getByRole("button", { name: "Unshare" }));
    expect(await screen.findByText(/Not shared with any tag/)).toBeInTheDocument();
    expect(backend.callsOf("serviceUserUnshare")).toEqual([["etl-bot", { kind: "tag", id: "team-data" }]]);
    expect(backend.data.history["etl-bot"][0].action).toBe("unshared");
  });

  test("without owner access, the changes say why", async () => {
    await openTab("Who can act", new FakeBackend(), "finance-bot");
    const unshare = await screen.findByRole("button", { name: "Unshare carol" });
    expect(unshare).toHaveAccessibleDescription(/not an owner of finance-bot/);
    expect(screen.getByRole("button", { name: "Share…" })).toHaveAttribute("aria-disabled", "true");
    expect(screen.getByText(/Only the owners of finance-bot can see its access tokens/)).toBeInTheDocument();
  });

  test("unsharing the last owner: the server's message stays as a toast", async () => {
    const backend = new FakeBackend();
    backend.seedUsers([{ userId: "solo-bot", sharedWith: ["alice"] }]);
    const { user } = await openTab("Who can act", backend, "solo-bot");
    await user.click(await screen.findByRole("button", { name: "Unshare alice" }));
    await user.click(
      within(await screen.findByRole("dialog", { name: "Unshare solo-bot with alice?" })).getByRole(
        "button",
        {
          name: "Unshare",
        },
      ),
    );
    const toast = await screen.findByText(
      "This is the last share of the service user; add another owner first.",
    );
    expect(toast.closest("[data-error-code]")).toHaveAttribute("data-error-code", "LAST_OWNER");
  });

  test("in production, revoking a token asks for the service user's id", async () => {
    const { user, backend } = await openTab("Who can act", scenarios.production());
    await user.click(await screen.findByRole("button", { name: "Revoke nightly-loader" }));
    const dialog = await screen.findByRole("dialog", { name: "Revoke nightly-loader?" });
    expect(within(dialog).getByRole("button", { name: "Revoke" })).toBeDisabled();
    await user.type(within(dialog).getByRole("textbox", { name: "Type etl-bot to confirm" }), "etl-bot");
    await user.click(within(dialog).getByRole("button", { name: "Revoke" }));
    await waitFor(() => expect(backend.callsOf("serviceUserAccessTokenRevoke")).toHaveLength(1));
  });

  test("a failing read shows the server's message in place", async () => {
    await openTab(
      "Who can act",
      new FakeBackend().failWith("serviceUserShares", "INTERNAL", { message: "The shares table is down." }),
    );
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load the shares");
    expect(alert).toHaveTextContent("The shares table is down.");
  });
});

describe("Resources and History tabs", { timeout: 30_000 }, () => {
  test("owned resources, or what to expect when there are none", async () => {
    const { unmount } = await openTab("Resources");
    const table = await screen.findByRole("table", { name: "Owned resources" });
    expect(
      within(table)
        .getAllByRole("row")
        .map((r) => r.getAttribute("data-resource-id")),
    ).toEqual([null, "ds-orders", "ds-clicks"]);
    unmount();
    await openTab("Resources", new FakeBackend(), "report-bot");
    expect(await screen.findByText(/report-bot owns nothing yet/)).toBeInTheDocument();
  });

  test("history: what this app did, newest first; empty says what will appear", async () => {
    const { unmount } = await openTab("History");
    const table = await screen.findByRole("table", { name: "History" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringContaining("roles_attached attached role-data-engineers"),
      expect.stringContaining('created created "ETL bot"'),
    ]);
    unmount();
    await openTab("History", new FakeBackend(), "report-bot");
    expect(await screen.findByText(/Nothing yet. This app records here/)).toBeInTheDocument();
  });

  test("loading shows skeletons", async () => {
    const backend = new FakeBackend();
    backend.latencyMs = 150;
    await openTab("History", backend);
    expect(await screen.findByLabelText("Loading history")).toHaveAttribute("aria-busy", "true");
    expect(await screen.findByRole("table", { name: "History" })).toBeInTheDocument();
  });
});
