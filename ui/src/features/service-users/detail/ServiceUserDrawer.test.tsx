import { screen, waitFor, within } from "@testing-library/react";
import { useState } from "react";
import { describe, expect, test, vi } from "vitest";
import { FakeBackend } from "../../../test/fake";
import { renderWithProviders } from "../../../test/render";
import { scenarios } from "../../../test/scenarios";
import { ServiceUserDrawer } from "./ServiceUserDrawer";

function renderDrawer(backend: FakeBackend = new FakeBackend(), userId = "etl-bot") {
  const onClose = vi.fn();
  const r = renderWithProviders(<ServiceUserDrawer userId={userId} onClose={onClose} />, { backend });
  return { ...r, onClose };
}

function Switcher() {
  const [id, setId] = useState<string | null>("etl-bot");
  return (
    <>
      <button type="button" onClick={() => setId("report-bot")}>
        next
      </button>
      <ServiceUserDrawer userId={id} onClose={() => setId(null)} />
    </>
  );
}

describe("ServiceUserDrawer", { timeout: 30_000 }, () => {
  test("header: name, status, actions; Roles tab first", async () => {
    renderDrawer();
    expect(screen.getByLabelText("Loading the service user")).toBeInTheDocument();
    expect(await screen.findByRole("heading", { name: "ETL bot" })).toBeInTheDocument();
    expect(screen.getByRole("dialog", { name: "etl-bot" })).toBeInTheDocument();
    expect(screen.getByLabelText("status")).toHaveTextContent("enabled");
    expect(screen.getByText("Nightly ingestion jobs")).toBeInTheDocument();
    for (const name of ["Assume", "Disable", "Delete…"]) {
      expect(screen.getByRole("button", { name })).not.toHaveAttribute("aria-disabled");
    }
    expect(screen.getByRole("tab", { name: "Roles", selected: true })).toBeInTheDocument();
    for (const name of ["Who can act", "Resources", "History"]) {
      expect(screen.getByRole("tab", { name })).toBeInTheDocument();
    }
    expect(await screen.findByRole("table", { name: "Roles" })).toBeInTheDocument();
  });

  test("Assume is disabled with the reason when the caller is not an owner", async () => {
    renderDrawer(new FakeBackend(), "finance-bot");
    await screen.findByRole("heading", { name: "Finance bot" });
    const assume = screen.getByRole("button", { name: "Assume" });
    expect(assume).toHaveAttribute("aria-disabled", "true");
    expect(assume).toHaveAccessibleDescription(/not an owner of finance-bot/);
    expect(screen.getByRole("button", { name: "Delete…" })).toHaveAttribute("aria-disabled", "true");
    expect(screen.getByRole("button", { name: "Disable" })).toHaveAttribute("aria-disabled", "true");
  });

  test("Assume is disabled with the reason when the service user is disabled", async () => {
    const backend = new FakeBackend();
    backend.seedUsers([{ userId: "etl-bot", displayName: "ETL bot", enabled: false }]);
    renderDrawer(backend);
    await screen.findByRole("heading", { name: "ETL bot" });
    expect(screen.getByLabelText("status")).toHaveTextContent("disabled");
    expect(screen.getByRole("button", { name: "Assume" })).toHaveAccessibleDescription(
      "etl-bot is disabled: enable it before assuming it.",
    );
    expect(screen.getByRole("button", { name: "Enable" })).toBeInTheDocument();
  });

  test("Esc closes the drawer, but only the dialog when one is open on it", async () => {
    const { user, onClose } = renderDrawer();
    await screen.findByRole("heading", { name: "ETL bot" });
    await user.click(screen.getByRole("button", { name: "Assume" }));
    await screen.findByRole("dialog", { name: "Assume etl-bot" });
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog", { name: "Assume etl-bot" })).toBeNull());
    expect(onClose).not.toHaveBeenCalled();
    await user.keyboard("{Escape}");
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  test("an unknown user: the server's message in place", async () => {
    renderDrawer(new FakeBackend(), "ghost-bot");
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load ghost-bot");
    expect(alert).toHaveTextContent("No user 'ghost-bot'.");
  });

  test("offline: the cached user with its 'as of' time; changes disabled with the reason", async () => {
    renderDrawer(scenarios.offline());
    await screen.findByRole("heading", { name: "ETL bot" });
    expect(await screen.findByText(/From the cache as of/)).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByRole("button", { name: "Disable" })).toHaveAccessibleDescription(/Offline/),
    );
    expect(screen.getByRole("button", { name: "Assume" })).toHaveAttribute("aria-disabled", "true");
  });

  test("a regular user (All users view): shown, no service-user actions", async () => {
    renderDrawer(new FakeBackend(), "bob");
    await screen.findByRole("heading", { name: "Bob Builder" });
    expect(screen.queryByRole("button", { name: "Assume" })).toBeNull();
    expect(screen.queryByRole("tab")).toBeNull();
    expect(screen.getByText(/identity provider manages it/)).toBeInTheDocument();
    expect(await screen.findByText("Roles: Default users, Data engineers")).toBeInTheDocument();
  });

  test("switching users keeps the drawer open and shows the new one", async () => {
    const { user } = renderWithProviders(<Switcher />);
    await screen.findByRole("heading", { name: "ETL bot" });
    await user.click(screen.getByRole("button", { name: "next" }));
    const d = await screen.findByRole("dialog", { name: "report-bot" });
    expect(await within(d).findByRole("heading", { name: "Report bot" })).toBeInTheDocument();
  });
});
