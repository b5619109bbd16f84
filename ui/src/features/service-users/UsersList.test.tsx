import { screen, waitFor, within } from "@testing-library/react";
import { beforeEach, describe, expect, test } from "vitest";
import { FakeBackend } from "../../test/fake";
import { mockLayout, scrollTo } from "../../test/layout";
import { createTestQueryClient, renderWithProviders } from "../../test/render";
import { scenarios } from "../../test/scenarios";
import { UsersList } from "./UsersList";
import { ROW_HEIGHT } from "./UsersTable";
import { prefetchServiceUsers } from "./usersQuery";

beforeEach(() => mockLayout({ height: 600 }));

const table = (name = "Service users") => screen.getByRole("table", { name });
const rowIds = (name = "Service users") =>
  within(table(name))
    .getAllByRole("row")
    .map((r) => r.getAttribute("data-user-id"))
    .filter(Boolean);
const lastQuery = (backend: FakeBackend) => backend.callsOf("usersPage").at(-1)?.[0];

describe("the service users list", () => {
  test("columns: id, name, status, roles (by name), shared with, created by, last modified", async () => {
    renderWithProviders(<UsersList kind="service" />);
    await screen.findByRole("table", { name: "Service users" });
    const headers = within(table())
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    expect(headers).toEqual([
      "Select",
      "Id",
      "Name",
      "Status",
      "Roles",
      "Shared with",
      "Created by",
      "Last modified",
      "Actions",
    ]);
    const etl = screen.getByRole("row", { name: /etl-bot/ });
    expect(within(etl).getByText("ETL bot")).toBeInTheDocument();
    expect(within(etl).getByText("enabled")).toBeInTheDocument();
    expect(within(etl).getByText("alice, #team-data")).toBeInTheDocument();
    await waitFor(() => expect(within(etl).getByText("Default users, Data engineers")).toBeInTheDocument());
    expect(await screen.findByRole("heading", { name: "Service users (3)" })).toBeInTheDocument();
  });

  test("the start-up prefetch is the list's own first window and count: nothing asked twice", async () => {
    const backend = new FakeBackend();
    const queryClient = createTestQueryClient();
    prefetchServiceUsers(queryClient, backend);
    await waitFor(() => expect(backend.callsOf("usersCount")).toHaveLength(1));
    renderWithProviders(<UsersList kind="service" />, { backend, queryClient });
    await screen.findByRole("table", { name: "Service users" });
    expect(rowIds()).toEqual(["etl-bot", "finance-bot", "report-bot"]);
    expect(await screen.findByRole("heading", { name: "Service users (3)" })).toBeInTheDocument();
    expect(backend.callsOf("usersPage")).toHaveLength(1);
    expect(backend.callsOf("usersCount")).toHaveLength(1);
  });

  test("the first rows do not wait for the count", async () => {
    const backend = new FakeBackend().slow("usersCount", 60_000);
    renderWithProviders(<UsersList kind="service" />, { backend });
    await screen.findByRole("table", { name: "Service users" });
    expect(rowIds()).toEqual(["etl-bot", "finance-bot", "report-bot"]);
    // The first window says it is the last one, so the total is known without the count.
    expect(screen.getByRole("heading", { name: "Service users (3)" })).toBeInTheDocument();
  });

  test("windows of 200 rows are fetched as the user scrolls, and the DOM holds only the rows in view", async () => {
    const backend = new FakeBackend().addManyUsers(5000);
    renderWithProviders(<UsersList kind="service" />, { backend });
    await screen.findByRole("table", { name: "Service users" });
    expect(await screen.findByRole("heading", { name: "Service users (5,003)" })).toBeInTheDocument();
    expect(backend.callsOf("usersPage").map(([q]) => [q.offset, q.limit])).toEqual([[0, 200]]);
    expect(rowIds().length).toBeLessThan(40);

    scrollTo(screen.getByTestId("users-scroll"), 2500 * ROW_HEIGHT);
    await waitFor(() => expect(rowIds()).toContain("svc-002500"));
    const offsets = backend.callsOf("usersPage").map(([q]) => q.offset);
    expect(offsets).toContain(2400);
    expect(offsets.every((o) => o % 200 === 0)).toBe(true);
    expect(rowIds().length).toBeLessThan(40);
    expect(table()).toHaveAttribute("aria-rowcount", "5004");

    // Back to the top: the first window comes from the query cache.
    const calls = backend.callsOf("usersPage").length;
    scrollTo(screen.getByTestId("users-scroll"), 0);
    await waitFor(() => expect(rowIds()[0]).toBe("etl-bot"));
    expect(backend.callsOf("usersPage")).toHaveLength(calls);
  });

  test("search is sent to the backend as typed, and the list shows the last answer", async () => {
    const { user, backend } = renderWithProviders(<UsersList kind="service" />);
    await screen.findByRole("table", { name: "Service users" });
    await user.type(screen.getByRole("textbox", { name: "Search service users" }), "nightly");
    await waitFor(() => expect(rowIds()).toEqual(["etl-bot"]));
    // No debounce (a cached search takes milliseconds): the whole word was asked for last.
    const searches = backend.callsOf("usersPage").map(([q]) => q.search);
    expect(searches.at(-1)).toBe("nightly");
    expect(lastQuery(backend)).toMatchObject({ kind: "service", search: "nightly", offset: 0 });
    // Each keystroke's window is asked for once: the keystroke's prefetch and the list's own
    // query share one key.
    for (const typed of ["n", "ni", "nig", "nigh", "night", "nightl", "nightly"]) {
      expect(searches.filter((s) => s === typed).length).toBeLessThanOrEqual(1);
    }
    expect(backend.callsOf("usersCount").filter(([q]) => q.search === "nightly")).toHaveLength(1);
  });

  test("filters: status, role, 'I can assume' send the right query", async () => {
    const { user, backend } = renderWithProviders(<UsersList kind="service" />);
    await screen.findByRole("table", { name: "Service users" });

    await user.click(screen.getByRole("combobox", { name: "Status" }));
    await user.click(await screen.findByRole("option", { name: "Disabled" }));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ status: "disabled" }));
    expect(await screen.findByText("No service user matches")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Clear search and filters" }));
    await waitFor(() => expect(rowIds()).toHaveLength(3));

    await user.click(screen.getByRole("combobox", { name: "Role" }));
    await user.click(await screen.findByRole("option", { name: "Analysts" }));
    await waitFor(() => expect(rowIds()).toEqual(["finance-bot", "report-bot"]));
    expect(lastQuery(backend)).toMatchObject({ role: "role-analysts", status: null });

    await user.click(screen.getByRole("checkbox", { name: "I can assume" }));
    await waitFor(() => expect(rowIds()).toEqual(["report-bot"]));
    expect(lastQuery(backend)).toMatchObject({ role: "role-analysts", assumable: true, kind: "service" });
    expect(backend.callsOf("usersCount").at(-1)?.[0]).toMatchObject({
      role: "role-analysts",
      assumable: true,
    });
  });

  test("All users: people and service users, service users with a badge", async () => {
    const { backend } = renderWithProviders(<UsersList kind="all" />);
    await screen.findByRole("table", { name: "All users" });
    expect(rowIds("All users")).toEqual([
      "alice",
      "bob",
      "carol",
      "dave",
      "etl-bot",
      "finance-bot",
      "report-bot",
    ]);
    expect(lastQuery(backend)).toMatchObject({ kind: "all" });
    const headers = within(table("All users"))
      .getAllByRole("columnheader")
      .map((h) => h.textContent);
    expect(headers.slice(0, 4)).toEqual(["Id", "Kind", "Name", "Status"]);
    // The marker has its own column, not a corner of the id's cell.
    const kindCells = within(table("All users")).getAllByText("service user");
    expect(kindCells).toHaveLength(3);
    for (const badge of kindCells) expect(badge.closest("td")).toHaveAttribute("data-column", "kind");
    const alice = screen.getByRole("row", { name: /^alice / });
    expect(within(alice).queryByText("service user")).toBeNull();
    expect(within(alice).getByText("person")).toBeInTheDocument();
    expect(within(screen.getByRole("row", { name: /^dave / })).getByText("disabled")).toBeInTheDocument();
  });

  test("All users: the kind filter asks for people or service users, and clears with the others", async () => {
    const { user, backend } = renderWithProviders(<UsersList kind="all" />);
    await screen.findByRole("table", { name: "All users" });
    await user.click(screen.getByRole("combobox", { name: "Kind" }));
    await user.click(await screen.findByRole("option", { name: "Service users" }));
    await waitFor(() => expect(rowIds("All users")).toEqual(["etl-bot", "finance-bot", "report-bot"]));
    expect(lastQuery(backend)).toMatchObject({ kind: "service" });
    expect(screen.getByRole("heading", { name: "All users (3)" })).toBeInTheDocument();

    await user.click(screen.getByRole("combobox", { name: "Kind" }));
    await user.click(await screen.findByRole("option", { name: "People" }));
    await waitFor(() => expect(rowIds("All users")).toEqual(["alice", "bob", "carol", "dave"]));
    expect(lastQuery(backend)).toMatchObject({ kind: "regular" });

    // No match among people: clearing the filters clears the kind too.
    await user.type(screen.getByRole("textbox", { name: "Search all users" }), "etl");
    expect(await screen.findByText("No user matches")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Clear search and filters" }));
    await waitFor(() => expect(rowIds("All users")).toHaveLength(7));
    expect(screen.getByRole("combobox", { name: "Kind" })).toHaveValue("");
  });

  test("the service users list has no kind column or filter", async () => {
    renderWithProviders(<UsersList kind="service" />);
    await screen.findByRole("table", { name: "Service users" });
    expect(screen.queryByRole("columnheader", { name: "Kind" })).toBeNull();
    expect(screen.queryByRole("combobox", { name: "Kind" })).toBeNull();
  });

  test("empty: says what to do next", async () => {
    const { user, backend } = renderWithProviders(<UsersList kind="service" />, {
      backend: scenarios.empty(),
    });
    expect(await screen.findByText("No service users yet")).toBeInTheDocument();
    expect(screen.getByText(/Create the first one with \+ New/)).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Refresh now" }));
    await waitFor(() => expect(backend.callsOf("syncNow")).toHaveLength(1));
  });

  test("no match: names the search and offers to clear it", async () => {
    const { user } = renderWithProviders(<UsersList kind="service" />);
    await screen.findByRole("table", { name: "Service users" });
    await user.type(screen.getByRole("textbox", { name: "Search service users" }), "no-such-bot");
    expect(await screen.findByText("No service user matches")).toBeInTheDocument();
    expect(screen.getByText(/Nothing matches "no-such-bot"/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Clear search and filters" }));
    await waitFor(() => expect(rowIds()).toHaveLength(3));
    expect(screen.getByRole("textbox", { name: "Search service users" })).toHaveValue("");
  });

  test("loading shows skeleton rows, then the table", async () => {
    const backend = new FakeBackend().slow("usersPage", 300);
    renderWithProviders(<UsersList kind="service" />, { backend });
    expect(screen.getByRole("status", { name: "Loading service users" })).toBeInTheDocument();
    await screen.findByRole("table", { name: "Service users" });
    expect(screen.queryByRole("status", { name: "Loading service users" })).not.toBeInTheDocument();
  });

  test("an error shows the server's message with a retry", async () => {
    const backend = new FakeBackend().failWith("usersPage", "INTERNAL", { times: 1 });
    const { user } = renderWithProviders(<UsersList kind="service" />, { backend });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load service users");
    expect(alert).toHaveTextContent("The server failed; try again, and report it if it persists.");
    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    await screen.findByRole("table", { name: "Service users" });
  });

  test("keyboard: Ctrl+F focuses the search, arrows move the selected row, Enter opens it", async () => {
    const { user } = renderWithProviders(<UsersList kind="service" />);
    await screen.findByRole("table", { name: "Service users" });
    await user.keyboard("{Control>}f{/Control}");
    const search = screen.getByRole("textbox", { name: "Search service users" });
    expect(search).toHaveFocus();

    await user.keyboard("{ArrowDown}");
    const first = screen.getByRole("row", { name: /etl-bot/ });
    await waitFor(() => expect(first).toHaveFocus());
    expect(first).toHaveAttribute("aria-selected", "true");

    await user.keyboard("{ArrowDown}{ArrowDown}");
    const third = screen.getByRole("row", { name: /report-bot/ });
    await waitFor(() => expect(third).toHaveFocus());
    expect(first).toHaveAttribute("aria-selected", "false");
    await user.keyboard("{ArrowDown}");
    expect(third).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{Home}");
    await waitFor(() => expect(first).toHaveFocus());
    await user.keyboard("{ArrowDown}{Enter}");
    expect(await screen.findByRole("dialog", { name: "finance-bot" })).toBeInTheDocument();
  });

  test("a click opens the detail drawer", async () => {
    const { user } = renderWithProviders(<UsersList kind="service" />);
    await screen.findByRole("table", { name: "Service users" });
    await user.click(screen.getByText("Report bot"));
    expect(await screen.findByRole("dialog", { name: "report-bot" })).toBeInTheDocument();
    expect(screen.getByRole("row", { name: /report-bot/ })).toHaveAttribute("aria-selected", "true");
    // The rows make room for the drawer beside them rather than lying under it.
    expect(screen.getByTestId("users-list").style.paddingRight).not.toBe("0px");
    await user.click(screen.getByRole("button", { name: "Close details" }));
    await waitFor(() => expect(screen.getByTestId("users-list").style.paddingRight).toBe("0px"));
  });
});
