import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, test } from "vitest";
import { FakeBackend } from "../../test/fake";
import { renderWithProviders } from "../../test/render";
import { JournalPage } from "./JournalPage";
import { actionWords, EMPTY_FILTER, toBackendFilter } from "./journalFilter";

/** The demo seed's history of etl-bot, then report-bot disabled. */
function backend(): FakeBackend {
  const b = new FakeBackend();
  b.record("report-bot", "disabled", "disabled", "alice");
  return b;
}

const rows = () =>
  within(screen.getByRole("table", { name: "Journal" }))
    .getAllByRole("row")
    .slice(1);

describe("JournalPage", () => {
  test("lists the entries newest first, with their action, service user and result", async () => {
    renderWithProviders(<JournalPage />, { backend: backend() });
    await screen.findByRole("table", { name: "Journal" });
    const [first, second, third] = rows();
    expect(first).toHaveTextContent("disabled");
    expect(first).toHaveTextContent("report-bot");
    expect(second).toHaveTextContent("roles attached");
    expect(second).toHaveTextContent("etl-bot");
    expect(third).toHaveTextContent("created");
    expect(within(first).getByText("done")).toBeInTheDocument();
    // Times go through the shared <Time>: a machine-readable <time>.
    expect(first.querySelector("time")).not.toBeNull();
  });

  test("filters by action, service user and text, through the backend", async () => {
    const { user, backend: b } = renderWithProviders(<JournalPage />, { backend: backend() });
    await screen.findByRole("table", { name: "Journal" });
    await user.type(screen.getByRole("textbox", { name: "Service user" }), "etl-bot");
    await waitFor(() => expect(rows()).toHaveLength(2));
    await user.type(screen.getByRole("textbox", { name: "Search" }), "engineers");
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(b.callsOf("journalList").at(-1)).toEqual([
      { action: null, serviceUser: "etl-bot", search: "engineers", since: null, limit: null },
    ]);
    await user.clear(screen.getByRole("textbox", { name: "Search" }));
    await user.clear(screen.getByRole("textbox", { name: "Service user" }));
    await user.type(screen.getByRole("textbox", { name: "Search" }), "nothing-like-this");
    expect(await screen.findByText(/Nothing in the journal matches/)).toBeInTheDocument();
  });

  test("exports CSV and JSON to the path given, or to the downloads folder", async () => {
    const { user, backend: b } = renderWithProviders(<JournalPage />, { backend: backend() });
    await screen.findByRole("table", { name: "Journal" });
    await user.click(screen.getByRole("button", { name: "Export CSV" }));
    let dialog = await screen.findByRole("dialog", { name: "Export the journal as CSV" });
    await user.type(within(dialog).getByRole("textbox", { name: /^File/ }), "/tmp/journal.csv");
    await user.click(within(dialog).getByRole("button", { name: "Export CSV" }));
    expect(await screen.findByText("3 entries saved to /tmp/journal.csv")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Export JSON" }));
    dialog = await screen.findByRole("dialog", { name: "Export the journal as JSON" });
    await user.click(within(dialog).getByRole("button", { name: "Export JSON" }));
    await waitFor(() => expect(b.callsOf("journalExport")).toHaveLength(2));
    const [csv, json] = b.callsOf("journalExport");
    expect(csv?.slice(1)).toEqual(["csv", "/tmp/journal.csv"]);
    expect(json?.slice(1)).toEqual(["json", null]);
    expect(csv?.[0]).toEqual(json?.[0]);
  });

  test("a path the core refuses is shown in the dialog, which stays open", async () => {
    const { user } = renderWithProviders(<JournalPage />, { backend: backend() });
    await screen.findByRole("table", { name: "Journal" });
    await user.click(screen.getByRole("button", { name: "Export JSON" }));
    const dialog = await screen.findByRole("dialog", { name: "Export the journal as JSON" });
    await user.type(within(dialog).getByRole("textbox", { name: /^File/ }), "journal.txt");
    await user.click(within(dialog).getByRole("button", { name: "Export JSON" }));
    expect(await within(dialog).findByText(/must be absolute and end in .json/)).toBeInTheDocument();
  });

  test("verifies the chain", async () => {
    const { user } = renderWithProviders(<JournalPage />, { backend: backend() });
    await user.click(await screen.findByRole("button", { name: "Verify chain" }));
    expect(await screen.findByText("The journal is intact")).toBeInTheDocument();
    expect(screen.getByText("3 entries checked.")).toBeInTheDocument();
  });

  test("an unreadable journal says which entry", async () => {
    const b = backend().failWith("journalList", "cache_error", { message: "journal entry 2 is unreadable" });
    renderWithProviders(<JournalPage />, { backend: b });
    expect(await screen.findByText("journal entry 2 is unreadable")).toBeInTheDocument();
  });
});

describe("journal filter", () => {
  test("blank fields select everything; actions read as words", () => {
    expect(toBackendFilter(EMPTY_FILTER)).toEqual({
      action: null,
      serviceUser: null,
      search: null,
      since: null,
      limit: null,
    });
    expect(toBackendFilter({ action: "assumed", serviceUser: " etl-bot ", search: "" }).serviceUser).toBe(
      "etl-bot",
    );
    expect(actionWords("access_token_created")).toBe("access token created");
  });
});
