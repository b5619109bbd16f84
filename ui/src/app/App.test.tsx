import { emit } from "@tauri-apps/api/event";
import { clearMocks } from "@tauri-apps/api/mocks";
import { act, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { FakeBackend } from "../test/fake";
import { installIpcMock } from "../test/ipcMock";
import { mockLayout } from "../test/layout";
import { renderWithProviders } from "../test/render";
import { scenarios } from "../test/scenarios";
import { App } from "./App";
import { formatDateTime } from "./dateTime";

beforeEach(() => mockLayout());
afterEach(() => clearMocks());

const rowIds = (name = "Service users") =>
  within(screen.getByRole("table", { name }))
    .getAllByRole("row")
    .map((r) => r.getAttribute("data-user-id"))
    .filter(Boolean);

const nav = () => screen.queryByRole("navigation", { name: "Main navigation" });

describe("App, signed in", () => {
  test("home is the service users list, synced on start", async () => {
    const { backend } = renderWithProviders(<App />, { backend: scenarios.signedIn() });
    await screen.findByRole("table", { name: "Service users" });
    expect(rowIds()).toEqual(["etl-bot", "finance-bot", "report-bot"]);
    expect(await screen.findByRole("heading", { name: "Service users (3)" })).toBeInTheDocument();
    expect(within(nav() as HTMLElement).getByRole("button", { name: "Service users" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    await waitFor(() => expect(backend.callsOf("syncNow")).toHaveLength(1));
    // After the sync, the list reads the cache again.
    await waitFor(() => expect(backend.callsOf("usersPage").length).toBeGreaterThanOrEqual(2));
    expect(screen.queryByRole("status", { name: /offline/i })).not.toBeInTheDocument();
  });

  test("the cached list shows before the server has answered the session", async () => {
    const backend = scenarios.signedIn().slow("sessionStatus", 60_000);
    renderWithProviders(<App />, { backend });
    await screen.findByRole("table", { name: "Service users" });
    await waitFor(() => expect(rowIds()).toEqual(["etl-bot", "finance-bot", "report-bot"]));
    expect(backend.callsOf("sessionStored")).toHaveLength(1);
    expect(backend.callsOf("sessionStatus")).toHaveLength(1);
  });

  test("a session the server ends while the cached list shows: the sign-in screen", async () => {
    const backend = scenarios.sessionExpired().slow("sessionStatus", 300);
    renderWithProviders(<App />, { backend });
    // The stored profile still says signed in, so the list's page shows first...
    await screen.findByRole("heading", { name: /^Service users/ });
    expect(nav()).toBeInTheDocument();
    // ...until the server's answer replaces it.
    expect(await screen.findByRole("heading", { name: /sign in/i }, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: /^Service users/ })).not.toBeInTheDocument();
    expect(nav()).not.toBeInTheDocument();
  });

  test("Refresh syncs again and re-reads the list", async () => {
    const { user, backend } = renderWithProviders(<App />);
    await screen.findByRole("table", { name: "Service users" });
    await waitFor(() => expect(backend.callsOf("syncNow")).toHaveLength(1));
    backend.seedUsers([{ userId: "new-bot" }]);
    await user.click(screen.getByRole("button", { name: "Refresh" }));
    await waitFor(() => expect(rowIds()).toEqual(["new-bot"]));
    expect(backend.callsOf("syncNow")).toHaveLength(2);
  });

  test("navigation: All users, Environments, and back", async () => {
    const { user } = renderWithProviders(<App />);
    await screen.findByRole("table", { name: "Service users" });
    await user.click(screen.getByRole("button", { name: "All users" }));
    await screen.findByRole("table", { name: "All users" });
    await waitFor(() => expect(rowIds("All users")).toHaveLength(7));
    expect(screen.getByRole("button", { name: "All users" })).toHaveAttribute("aria-current", "page");
    await user.click(screen.getByRole("button", { name: "Environments" }));
    expect(screen.queryByRole("table", { name: /users/ })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Environments" })).toHaveAttribute("aria-current", "page");
    await user.click(screen.getByRole("button", { name: "Service users" }));
    expect(await screen.findByRole("table", { name: "Service users" })).toBeInTheDocument();
  });

  test("an active identity adds 'Acting as' to the navigation", async () => {
    const backend = scenarios.actingAs();
    installIpcMock(backend);
    const { user } = renderWithProviders(<App />, { backend });
    const acting = await within(
      await screen.findByRole("navigation", { name: "Main navigation" }),
    ).findByRole("button", { name: "Acting as etl-bot" });
    await user.click(acting);
    expect(acting).toHaveAttribute("aria-current", "page");
    expect(screen.queryByRole("table", { name: "Service users" })).not.toBeInTheDocument();
    // The identity goes away (forgotten in the tray): back to the list.
    backend.data.identities = [];
    backend.data.activeIdentity = null;
    await act(() => emit("identities-changed"));
    expect(await screen.findByRole("table", { name: "Service users" })).toBeInTheDocument();
    expect(within(nav() as HTMLElement).queryByRole("button", { name: /Acting as/ })).not.toBeInTheDocument();
  });

  test("the 'identities-changed' event refetches the identities", async () => {
    const backend = new FakeBackend();
    installIpcMock(backend);
    renderWithProviders(<App />, { backend });
    await screen.findByRole("table", { name: "Service users" });
    await waitFor(() => expect(backend.callsOf("identitiesList")).toHaveLength(1));
    await act(() => emit("identities-changed"));
    await waitFor(() => expect(backend.callsOf("identitiesList")).toHaveLength(2));
  });
});

describe("App, offline", () => {
  test("shows the cached list with an 'as of' banner", async () => {
    const { backend } = renderWithProviders(<App />, { backend: scenarios.offline() });
    const banner = await screen.findByRole("status", { name: /offline/i });
    await waitFor(() => expect(backend.callsOf("syncNow")).toHaveLength(1));
    const asOf = formatDateTime("2026-11-27T10:42:00+00:00");
    await waitFor(() => expect(banner).toHaveTextContent(`Showing the cache as of ${asOf}.`));
    await screen.findByRole("table", { name: "Service users" });
    expect(rowIds()).toEqual(["etl-bot", "finance-bot", "report-bot"]);
    expect(nav()).toBeInTheDocument();
  });

  test("Retry in the banner: back online, the banner goes", async () => {
    const { user, backend } = renderWithProviders(<App />, { backend: scenarios.offline() });
    const banner = await screen.findByRole("status", { name: /offline/i });
    backend.goOnline();
    await user.click(within(banner).getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(screen.queryByRole("status", { name: /offline/i })).not.toBeInTheDocument());
  });
});

describe("App, not signed in", () => {
  test.each([
    ["noEnvironment", scenarios.noEnvironment],
    ["sessionExpired", scenarios.sessionExpired],
    ["signedOut", scenarios.signedOut],
  ] as const)("%s: the sign-in screen, no list and no navigation", async (_, scenario) => {
    const { backend } = renderWithProviders(<App />, { backend: scenario() });
    await waitFor(() => expect(backend.callsOf("environmentsList").length).toBeGreaterThan(0));
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    expect(nav()).not.toBeInTheDocument();
    expect(backend.callsOf("syncNow")).toHaveLength(0);
    expect(backend.callsOf("usersPage")).toHaveLength(0);
  });
});

describe("App, errors", () => {
  test("a failing list shows the server's message in place", async () => {
    renderWithProviders(<App />, { backend: scenarios.listError() });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load service users");
    expect(alert).toHaveTextContent("The server failed while listing service users; try again later.");
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  test("when the app core fails, its message shows, and it is not retried", async () => {
    const backend = new FakeBackend().failWith("sessionStatus", "config_error", {
      message: "the configuration failed: bad TOML",
    });
    renderWithProviders(<App />, { backend });
    expect(await screen.findByRole("alert")).toHaveTextContent("the configuration failed: bad TOML");
    expect(backend.callsOf("sessionStatus")).toHaveLength(1);
  });

  test("another session problem (keychain) is explained above the list", async () => {
    const backend = new FakeBackend({
      sessionProblem: { code: "keychain_unavailable", message: "the OS keychain is not available (locked)" },
    });
    renderWithProviders(<App />, { backend });
    const [first] = await screen.findAllByRole("alert");
    expect(first).toHaveTextContent("the OS keychain is not available (locked)");
  });
});
